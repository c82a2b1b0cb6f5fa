using Recovery.BuildingBlocks.Domain;

namespace Recovery.Assessment.Episodes;

/// <summary>Refusals shared by every command on an assessment.</summary>
public static class AssessmentRules
{
    public static DomainError? MustBeInProgress(AssessmentEpisode assessment) =>
        assessment.Status == AssessmentStatus.Completed
            ? DomainError.Conflict("assessment-completed",
                $"Assessment {assessment.Id} was completed at {assessment.CompletedAt:O}; start a new assessment to record more.",
                new Dictionary<string, object?> { ["assessmentId"] = assessment.Id, ["completedAt"] = assessment.CompletedAt })
            : null;
}
