using Recovery.Assessment.Completion;
using Recovery.Assessment.Criteria;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class CriteriaTests
{
    private static OudCriterion[] First(int n) => Enum.GetValues<OudCriterion>().Take(n).ToArray();

    [Theory]
    [InlineData(1, OudSeverity.None, null)]
    [InlineData(2, OudSeverity.Mild, "F11.10")]
    [InlineData(3, OudSeverity.Mild, "F11.10")]
    [InlineData(4, OudSeverity.Moderate, "F11.20")]
    [InlineData(5, OudSeverity.Moderate, "F11.20")]
    [InlineData(6, OudSeverity.Severe, "F11.20")]
    public void Records_criteria_with_derived_count_and_severity(int met, OudSeverity severity, string? icd10) =>
        Scenario()
            .Given(Started)
            .When(a => OudCriteria.Decide(a, new RecordOudCriteria(First(met), false)))
            .Then(new OudCriteriaRecorded(AssessmentId, PatientId, First(met), false, met, severity, icd10));

    [Fact]
    public void Supervised_use_excludes_tolerance_and_withdrawal_from_the_count()
    {
        OudCriterion[] met = [OudCriterion.Craving, OudCriterion.ActivitiesGivenUp, OudCriterion.UseInHazardousSituations,
            OudCriterion.Tolerance, OudCriterion.Withdrawal];
        Scenario()
            .Given(Started)
            .When(a => OudCriteria.Decide(a, new RecordOudCriteria(met, true)))
            .Then(new OudCriteriaRecorded(AssessmentId, PatientId, met, true, 3, OudSeverity.Mild, "F11.10"));
    }

    [Fact]
    public void Nothing_is_recorded_on_a_completed_assessment() =>
        Scenario()
            .Given([.. EverythingForCompletion, new AssessmentCompleted(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20",
                LabOutcome.Negative, LabOutcome.Negative, LabOutcome.Negative, CardiovascularConclusion.Normal, 430, null)])
            .When(a => OudCriteria.Decide(a, new RecordOudCriteria(First(2), false)))
            .ThenRejected(ErrorKind.Conflict, "assessment-completed");

    [Fact]
    public void Unknown_criterion_names_are_rejected_naming_the_position()
    {
        var validated = new RecordOudCriteriaRequest(["craving", "feeling-sad"], false).Validate(Now);
        Assert.NotNull(validated.Error);
        Assert.Equal(ErrorKind.Invalid, validated.Error.Kind);
        Assert.Contains("criteriaMet[1]", validated.Error.Errors!.Keys);
    }

    [Fact]
    public void Supervision_must_be_stated()
    {
        var validated = new RecordOudCriteriaRequest(["craving"], null).Validate(Now);
        Assert.Contains("onlyUnderMedicalSupervision", validated.Error!.Errors!.Keys);
    }
}
