using System.Text.Json;
using Recovery.Assessment.Completion;
using Recovery.Assessment.Corrections;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

/// <summary>A fact of an assessment in progress entered in error or amended: completion reads the corrected record from then on.</summary>
public class CorrectionTests
{
    private static readonly Correction EnteredInError = new(false, "entered on the wrong patient's chart", default);
    private static readonly CompleteAssessment Complete = new(Now);

    private static Correction Amendment(object values) => new(true, "the lab sent another patient's result", JsonSerializer.SerializeToElement(values));

    // Stream positions: 1 started, 2 criteria, 3 HIV, 4 hepatitis B, 5 hepatitis C (positive), 6 cardiovascular status.
    private static readonly object[] Ready = EverythingForCompletion;

    // Assessment publishes each fact under its own name.
    private static FactRef Fact(object[] given, long version) => new(Guid.NewGuid(), version, given[version - 1], Kebab.Of(given[version - 1].GetType().Name));

    private static Decision Correct(object[] given, long version, Correction correction) =>
        AssessmentCorrections.Decide(AssessmentEvolution.Fold(given), Fact(given, version), correction, Sealing.Fake);

    private static FactEnteredInError InError(object[] given, long version) =>
        Assert.IsType<FactEnteredInError>(Assert.Single(Correct(given, version, EnteredInError).Events));

    private static AssessmentCompleted Completed(LabOutcome hepatitisC = LabOutcome.Positive, int? cowsTotal = null) =>
        new(AssessmentId, PatientId, Now, OudSeverity.Severe, 7, "F11.20", LabOutcome.Negative, LabOutcome.Negative, hepatitisC,
            CardiovascularConclusion.Normal, 430, cowsTotal);

    private static WithdrawalScored Cows(int total, DateTimeOffset at) =>
        new(AssessmentId, PatientId, at, Enum.GetValues<CowsItem>().Select((item, i) => (item, i)).ToDictionary(x => x.item, x => x.i < total ? 1 : 0),
            total, Recovery.Clinical.Cows.BandOf(total));

    [Fact]
    public void Criteria_entered_in_error_are_missing_again_for_completion()
    {
        Scenario().Given(Ready).When(a => AssessmentCompletion.Decide(a, Complete)).Then(Completed());
        var error = Scenario().Given([.. Ready, InError(Ready, 2)])
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.RuleBroken, "assessment-incomplete");
        Assert.Equal(new[] { "criteria" }, error.Values!["missing"]);
    }

    [Fact]
    public void Criteria_replaced_by_a_later_recording_are_not_in_force_and_only_the_later_ones_can_be_entered_in_error()
    {
        object[] recordedTwice = [.. Ready, SevereCriteria with { CriteriaMet = SevereCriteria.CriteriaMet.Take(2).ToList(), CriteriaCounted = 2,
            Severity = OudSeverity.Mild, Icd10Code = "F11.10" }];
        var superseded = Correct(recordedTwice, 2, EnteredInError);
        Assert.Equal((ErrorKind.Conflict, "fact-superseded"), (superseded.Error!.Kind, superseded.Error.Rule));
        Assert.Equal("oud-criteria-recorded", InError(recordedTwice, 7).Kind);
        // The earlier criteria do not come back in force: the clinician records them again.
        Assert.Null(AssessmentEvolution.Fold([.. recordedTwice, InError(recordedTwice, 7)]).Criteria);
    }

    [Fact]
    public void A_cardiovascular_status_entered_in_error_is_missing_again_for_completion()
    {
        var error = Scenario().Given([.. Ready, InError(Ready, 6)])
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.RuleBroken, "assessment-incomplete");
        Assert.Equal(new[] { "cardiovascular" }, error.Values!["missing"]);
    }

    [Fact]
    public void A_cardiovascular_status_replaced_by_a_later_one_cannot_be_entered_in_error_and_the_later_one_can()
    {
        object[] recordedTwice = [.. Ready, Cardiovascular with { QtcMilliseconds = 470 }];
        Assert.Equal("fact-superseded", Correct(recordedTwice, 6, EnteredInError).Error?.Rule);
        Assert.Null(Correct(recordedTwice, 7, EnteredInError).Error);
    }

    [Fact]
    public void A_lab_result_amended_travels_with_completion_as_amended()
    {
        var amended = Assert.IsType<LabResultAmended>(Assert.Single(Correct(Ready, 5, Amendment(new { result = "negative" })).Events));
        Assert.Equal((LabTest.HepatitisC, LabOutcome.Negative), (amended.Replacement.Test, amended.Replacement.Result));
        Scenario().Given([.. Ready, amended]).When(a => AssessmentCompletion.Decide(a, Complete)).Then(Completed(hepatitisC: LabOutcome.Negative));
    }

    [Fact]
    public void A_lab_result_entered_in_error_is_missing_again_for_completion()
    {
        var error = Scenario().Given([.. Ready, InError(Ready, 5)])
            .When(a => AssessmentCompletion.Decide(a, Complete))
            .ThenRejected(ErrorKind.RuleBroken, "assessment-incomplete");
        Assert.Equal(new[] { "lab:hepatitis-c" }, error.Values!["missing"]);
    }

    [Fact]
    public void A_lab_amendment_names_a_result_that_is_not_one_and_amends_nothing_else()
    {
        var invalid = Correct(Ready, 5, Amendment(new { result = "probably" }));
        Assert.Equal(ErrorKind.Invalid, invalid.Error!.Kind);
        Assert.Equal(["result"], invalid.Error.Errors!.Keys);
        Assert.Equal(ErrorKind.Invalid, Correct(Ready, 5, Amendment(new { })).Error?.Kind);
        Assert.Equal("fact-not-amendable", Correct(Ready, 6, Amendment(new { result = "negative" })).Error?.Rule);
        Assert.Equal("fact-not-amendable", Correct(Ready, 2, Amendment(new { result = "negative" })).Error?.Rule);
    }

    [Fact]
    public void A_cows_score_entered_in_error_no_longer_travels_with_completion_and_the_one_before_it_does()
    {
        // Positions 7 and 8: a score of 6, then the latest, 11.
        object[] scored = [.. Ready, Cows(6, Now.AddHours(-1)), Cows(11, Now.AddMinutes(-10))];
        Scenario().Given(scored).When(a => AssessmentCompletion.Decide(a, Complete)).Then(Completed(cowsTotal: 11));
        Assert.Equal("withdrawal-scored", InError(scored, 8).Kind);
        Scenario().Given([.. scored, InError(scored, 8)]).When(a => AssessmentCompletion.Decide(a, Complete)).Then(Completed(cowsTotal: 6));
        Scenario().Given([.. scored, InError(scored, 8), InError(scored, 7)]).When(a => AssessmentCompletion.Decide(a, Complete)).Then(Completed());
    }

    [Fact]
    public void A_fact_is_corrected_once_and_the_start_is_not_a_correctable_fact()
    {
        var again = Correct([.. Ready, InError(Ready, 3)], 3, EnteredInError);
        Assert.Equal((ErrorKind.Conflict, "fact-already-corrected"), (again.Error!.Kind, again.Error.Rule));
        var start = Correct(Ready, 1, EnteredInError);
        Assert.Equal((ErrorKind.RuleBroken, "fact-not-correctable"), (start.Error!.Kind, start.Error.Rule));
    }

    [Fact]
    public void A_completed_assessments_facts_stand()
    {
        object[] completed = [.. Ready, Completed()];
        var refused = Correct(completed, 5, EnteredInError);
        Assert.Equal((ErrorKind.Conflict, "assessment-completed"), (refused.Error!.Kind, refused.Error.Rule));
        Assert.Equal("assessment-completed", Correct(completed, 5, Amendment(new { result = "negative" })).Error?.Rule);
    }
}
