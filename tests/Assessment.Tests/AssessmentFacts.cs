using Recovery.Assessment.Criteria;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.Clinical;

namespace Recovery.Assessment.Tests;

/// <summary>Events of one assessment, to state the Given of a scenario briefly.</summary>
internal static class AssessmentFacts
{
    public static readonly Guid AssessmentId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    public static readonly Guid PatientId = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static Scenario<AssessmentEpisode> Scenario() => new(AssessmentEvolution.Fold);

    public static AssessmentStarted Started => new(AssessmentId, PatientId, Now.AddHours(-2));

    public static OudCriteriaRecorded SevereCriteria => new(AssessmentId, PatientId,
        Enum.GetValues<OudCriterion>().Take(7).ToList(), false, 7, OudSeverity.Severe, "F11.20");

    public static LabResultRecorded Lab(LabTest test, LabOutcome result = LabOutcome.Negative) =>
        new(AssessmentId, PatientId, test, result, new DateOnly(2026, 11, 1));

    public static CardiovascularStatusRecorded Cardiovascular =>
        new(AssessmentId, PatientId, 92, 128, 82, 430, CardiovascularConclusion.Normal);

    public static object[] EverythingForCompletion =>
        [Started, SevereCriteria, Lab(LabTest.Hiv), Lab(LabTest.HepatitisB), Lab(LabTest.HepatitisC, LabOutcome.Positive), Cardiovascular];
}
