using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;

namespace Recovery.Assessment.Completion;

/// <summary>The assessment is complete; it carries the summary detox planning needs.</summary>
public sealed record AssessmentCompleted(
    Guid AssessmentId,
    Guid PatientId,
    DateTimeOffset CompletedAt,
    OudSeverity Severity,
    int CriteriaCounted,
    string? Icd10Code,
    LabOutcome Hiv,
    LabOutcome HepatitisB,
    LabOutcome HepatitisC,
    CardiovascularConclusion CardiovascularConclusion,
    int QtcMilliseconds,
    int? LatestCowsTotal);

public sealed record CompleteAssessment(DateTimeOffset CompletedAt);

/// <summary>The body is optional: CompletedAt defaults to now, may be in the past, never before the assessment started.</summary>
public sealed record CompleteAssessmentRequest(DateTimeOffset? CompletedAt)
{
    public Validated<CompleteAssessment> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var completedAt = errors.NotInFuture("completedAt", CompletedAt, now);
        if (errors.Any) return errors.ToError();
        return new CompleteAssessment(completedAt);
    }
}

public static class AssessmentCompletion
{
    /// <summary>Detox is planned only after criteria, the three infection tests and cardiovascular status are recorded.</summary>
    public static Decision Decide(AssessmentEpisode a, CompleteAssessment command)
    {
        if (AssessmentRules.MustBeInProgress(a) is { } refused) return refused;
        if (a.MissingForCompletion is { Count: > 0 } missing)
            return DomainError.RuleBroken("assessment-incomplete",
                $"The assessment cannot be completed before these are recorded: {string.Join(", ", missing)}.",
                values: new Dictionary<string, object?> { ["missing"] = missing });

        if (command.CompletedAt < a.StartedAt)
            return DomainError.RuleBroken("completion-before-start", "An assessment cannot be completed before it started.",
                new Dictionary<string, string[]> { ["completedAt"] = ["is before the assessment's start"] },
                new Dictionary<string, object?> { ["completedAt"] = command.CompletedAt, ["startedAt"] = a.StartedAt });

        return Decision.Accept(new AssessmentCompleted(a.Id, a.PatientId, command.CompletedAt, a.Criteria!.Severity, a.Criteria.CriteriaCounted,
            a.Criteria.Icd10Code, a.Labs[LabTest.Hiv].Result, a.Labs[LabTest.HepatitisB].Result, a.Labs[LabTest.HepatitisC].Result,
            a.Cardiovascular!.Conclusion, a.Cardiovascular.QtcMilliseconds, // A score may be entered late (scoredAt in the past): the latest observation wins, not the latest entry.
            a.WithdrawalScores.MaxBy(w => w.ScoredAt)?.Total));
    }
}
