using Recovery.Assessment.Completion;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class CompletionTests
{
    private static readonly CompleteAssessment Complete = new(Now);

    [Fact]
    public void Completes_when_criteria_three_infection_tests_and_cardiovascular_status_are_recorded() =>
        Scenario()
            .Given(EverythingForCompletion)
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .Then(new AssessmentCompleted(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20",
                LabOutcome.Negative, LabOutcome.Negative, LabOutcome.Positive, CardiovascularConclusion.Normal, 430, null));

    [Fact]
    public void Names_exactly_what_is_missing()
    {
        var error = Scenario()
            .Given(Started, Lab(LabTest.HepatitisB))
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.RuleBroken, "assessment-incomplete");
        Assert.Equal(new[] { "criteria", "lab:hiv", "lab:hepatitis-c", "cardiovascular" }, error.Values!["missing"]);
    }

    public static TheoryData<string> EachPrerequisite => new() { "criteria", "lab:hiv", "lab:hepatitis-b", "lab:hepatitis-c", "cardiovascular" };

    [Theory]
    [MemberData(nameof(EachPrerequisite))]
    public void Each_prerequisite_alone_blocks_completion(string prerequisite)
    {
        var given = EverythingForCompletion.Where(e => Names(e) != prerequisite).ToArray();
        var error = Scenario()
            .Given(given)
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.RuleBroken, "assessment-incomplete");
        Assert.Equal(new[] { prerequisite }, error.Values!["missing"]);
    }

    [Fact]
    public void The_latest_withdrawal_score_travels_with_completion()
    {
        var items = Enum.GetValues<CowsItem>().ToDictionary(i => i, _ => 1);
        var scenario = Scenario()
            .Given([.. EverythingForCompletion, new Withdrawal.WithdrawalScored(AssessmentId, PatientId, Now, items, 11, WithdrawalBand.Mild)])
            .When(a => AssessmentCompletion.Decide(a, Complete));
        scenario.Then(new AssessmentCompleted(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20",
            LabOutcome.Negative, LabOutcome.Negative, LabOutcome.Positive, CardiovascularConclusion.Normal, 430, 11));
    }

    [Fact]
    public void A_score_entered_late_does_not_replace_a_later_observation()
    {
        var mild = Enum.GetValues<CowsItem>().ToDictionary(i => i, _ => 1);
        var none = Enum.GetValues<CowsItem>().ToDictionary(i => i, _ => 0);
        var scenario = Scenario()
            .Given([.. EverythingForCompletion,
                new Withdrawal.WithdrawalScored(AssessmentId, PatientId, Now, mild, 11, WithdrawalBand.Mild),
                new Withdrawal.WithdrawalScored(AssessmentId, PatientId, Now.AddHours(-6), none, 0, WithdrawalBand.NoActiveWithdrawal)])
            .When(a => AssessmentCompletion.Decide(a, Complete));
        scenario.Then(new AssessmentCompleted(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20",
            LabOutcome.Negative, LabOutcome.Negative, LabOutcome.Positive, CardiovascularConclusion.Normal, 430, 11));
    }

    [Fact]
    public void A_completed_assessment_cannot_be_completed_again() =>
        Scenario()
            .Given([.. EverythingForCompletion, new AssessmentCompleted(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20",
                LabOutcome.Negative, LabOutcome.Negative, LabOutcome.Positive, CardiovascularConclusion.Normal, 430, null)])
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.Conflict, "assessment-completed");

    private static string Names(object e) => e switch
    {
        Criteria.OudCriteriaRecorded => "criteria",
        LabResultRecorded l => "lab:" + Kebab.Of(l.Test),
        CardiovascularStatusRecorded => "cardiovascular",
        _ => "",
    };
}
