using Recovery.Assessment.Completion;
using Recovery.Assessment.Corrections;
using Recovery.Assessment.Criteria;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Patients;
using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Commands;

namespace Recovery.Assessment.Episodes;

/// <summary>Every command on an assessment (intake), one line each.</summary>
public static class AssessmentCommands
{
    public static void MapAssessmentCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<AssessmentEpisode, NoNeeds>(api, "assessmentId", AssessmentView.NotFound, a => a.PatientId,
                AssessmentEvolution.Evolve, NoNeeds.Of, (a, _, _, _) => AssessmentView.Of(a), a => $"/assessments/{a.Id}")
            .Start("/patients/{patientId}/assessments", "Open an assessment (intake)",
                (StartAssessmentRequest r, CommandContext c) => c.RouteId("patientId").Then(id => r.Validate(id, c.Now)),
                (cmd, _) => cmd.AssessmentId, AssessmentStart.Read, (read, cmd, _) => AssessmentStart.Decide(read.Patient, read.Open, cmd),
                emptyBody: () => new StartAssessmentRequest(null))
            .On("/assessments/{assessmentId}/criteria", "Record DSM-5 OUD criteria",
                (RecordOudCriteriaRequest r, CommandContext c) => r.Validate(c.Now), (a, cmd, _, _) => OudCriteria.Decide(a, cmd))
            .On("/assessments/{assessmentId}/lab-results", "Record an HIV or hepatitis B/C result",
                (RecordLabResultRequest r, CommandContext c) => r.Validate(c.Now), (a, cmd, _, _) => LabResults.Decide(a, cmd))
            .On("/assessments/{assessmentId}/cardiovascular-status", "Record cardiovascular status",
                (RecordCardiovascularStatusRequest r, CommandContext c) => r.Validate(c.Now), (a, cmd, _, _) => CardiovascularAssessment.Decide(a, cmd))
            .On("/assessments/{assessmentId}/withdrawal-scores", "Score withdrawal with COWS",
                (ScoreWithdrawalRequest r, CommandContext c) => r.Validate(c.Now), (a, cmd, _, _) => WithdrawalScoring.Decide(a, cmd))
            .On("/assessments/{assessmentId}/completion", "Complete the assessment",
                (CompleteAssessmentRequest r, CommandContext c) => r.Validate(c.Now), (a, cmd, _, _) => AssessmentCompletion.Decide(a, cmd),
                emptyBody: () => new CompleteAssessmentRequest(null))
            .Corrects((a, fact, correction, _, c) => AssessmentCorrections.Decide(a, fact, correction, c.Seal));
}
