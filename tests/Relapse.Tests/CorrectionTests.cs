using System.Text.Json;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Time;
using Recovery.Clinical;
using Recovery.Relapse.Corrections;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

/// <summary>A screen or reported use entered in error, or a screen amended: the relapse is derived again from the corrected facts.</summary>
public class CorrectionTests
{
    private static readonly Correction EnteredInError = new(false, "another patient's sample", default);
    private static readonly Guid FactId = Guid.Parse("0190b000-0000-7000-8000-0000000000d1");
    private static readonly DateOnly Today = Week(5);
    private static readonly ClinicNow Now = new(new DateTimeOffset(Today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), Today);

    private static Correction Amendment(object results) =>
        new(true, "the lab sent another patient's result", JsonSerializer.SerializeToElement(new { results }));

    private static readonly DateOnly PositiveOn = Week(2).AddDays(1);

    private static RelapseDetected FoundOn(DateOnly day) =>
        Detected($"screen collected {day:yyyy-MM-dd}: positive (fentanyl)", day, day, RelapseRules.AnyPositiveAfterDetox);

    // Stream positions: 1 started, 2 the positive screen, 3 the relapse it caused under the any-positive rule.
    private static readonly object[] RelapsedOnAPositive = [Started(), Positive(PositiveOn), FoundOn(PositiveOn)];

    private static Decision Correct(object[] given, long version, Correction correction, RelapseCheck? check = null) =>
        MonitoringCorrections.Decide(Fold(given), new FactRef(FactId, version, given[version - 1], Kebab.Of(given[version - 1].GetType().Name)), correction, check ?? AnyPositive, Now,
            Sealing.Fake);

    private static RelapseRetracted Retracted(string reason) => new(MonitoringId, PatientId, EpisodeId, RelapseRules.AnyPositiveAfterDetox, PositiveOn,
        RelapseRules.AnyPositiveAfterDetox, Today, reason);

    [Fact]
    public void A_positive_screen_entered_in_error_retracts_the_relapse_it_caused_saying_why() =>
        Scenario().Given(RelapsedOnAPositive)
            .When(m => MonitoringCorrections.Decide(m, new FactRef(FactId, 2, RelapsedOnAPositive[1], "urine-screen-recorded"), EnteredInError, AnyPositive, Now, Sealing.Fake))
            .Then(new FactEnteredInError(FactId, 2, "urine-screen-recorded", PatientId, EpisodeId, Sealing.Fake("another patient's sample")),
                Retracted($"urine-screen-recorded {FactId} was entered in error"));

    [Fact]
    public void A_positive_screen_amended_to_negative_retracts_the_relapse_and_the_monitoring_holds_the_amended_results()
    {
        var decision = Correct(RelapsedOnAPositive, 2, Amendment(new { opiates = "negative", fentanyl = "negative" }));
        Assert.Null(decision.Error);
        var amended = Assert.IsType<UrineScreenAmended>(decision.Events[0]);
        Assert.False(amended.Replacement.NonPrescribedOpioidPositive);
        Assert.Equal(PositiveOn, amended.Replacement.CollectedOn);
        var retracted = Assert.IsType<RelapseRetracted>(Assert.Single(decision.Events.Skip(1)));
        Assert.Equal($"urine-screen-recorded {FactId} was amended", retracted.Reason);
        var monitoring = Fold([.. RelapsedOnAPositive, .. decision.Events]);
        Assert.Null(monitoring.Relapse);
        Assert.Equal(ScreenResult.Negative, Assert.Single(monitoring.Screens).Results[Substance.Fentanyl]);
    }

    [Fact]
    public void A_screen_amended_but_still_positive_on_the_same_day_leaves_the_relapse_as_it_was() =>
        Assert.IsType<UrineScreenAmended>(Assert.Single(
            Correct(RelapsedOnAPositive, 2, Amendment(new { opiates = "positive", fentanyl = "positive" })).Events));

    [Fact]
    public void When_the_screen_the_relapse_rested_on_is_entered_in_error_the_relapse_is_re_derived_from_the_next_positive()
    {
        object[] twoPositives = [Started(), Positive(PositiveOn), FoundOn(PositiveOn), Positive(Week(3).AddDays(2))];
        var decision = Correct(twoPositives, 2, EnteredInError);
        Assert.Equal(["FactEnteredInError", "RelapseRetracted", "RelapseDetected"], decision.Events.Select(e => e.GetType().Name));
        Assert.Equal(Week(3).AddDays(2), Fold([.. twoPositives, .. decision.Events]).Relapse!.RelapsedOn);
    }

    [Fact]
    public void A_screen_amendment_is_validated_as_a_screen_is_when_recorded()
    {
        var unknown = Correct(RelapsedOnAPositive, 2, Amendment(new { opiates = "negative", ketamine = "positive" }));
        Assert.Equal(ErrorKind.Invalid, unknown.Error!.Kind);
        Assert.Equal(["results.ketamine"], unknown.Error.Errors!.Keys);
        Assert.Equal(["results.opiates"], Correct(RelapsedOnAPositive, 2, Amendment(new { fentanyl = "negative" })).Error!.Errors!.Keys);
    }

    /// <summary>After a buprenorphine taper, buprenorphine is the medication leaving the body for 7 days, then non-prescribed use.</summary>
    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    public void An_amended_screen_is_judged_against_the_medication_on_its_collection_day_as_when_recorded(int daysAfterStart, bool nonPrescribed)
    {
        var on = StartedOn.AddDays(daysAfterStart);
        object[] given = [Started(Substance.Buprenorphine, "buprenorphine"), Negative(on)];
        var amended = Assert.IsType<UrineScreenAmended>(Correct(given, 2, Amendment(new { opiates = "negative", buprenorphine = "positive" }),
            Ctn).Events[0]);
        Assert.Equal(nonPrescribed, amended.Replacement.NonPrescribedOpioidPositive);
    }

    [Fact]
    public void Reported_use_entered_in_error_leaves_the_monitoring_and_no_relapse_rested_on_it()
    {
        object[] reported = [Started(), Negative(Week(1)), new UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedSubstance.Heroin, Week(2))];
        var decision = Correct(reported, 3, EnteredInError, Ctn);
        var corrected = Assert.IsType<FactEnteredInError>(Assert.Single(decision.Events));
        Assert.Equal(("use-self-reported", 3L), (corrected.Kind, corrected.FactVersion));
        Assert.Empty(Fold([.. reported, corrected]).ReportedUse);
    }

    [Fact]
    public void Reported_use_is_not_amended_nor_a_missed_visit_corrected_here()
    {
        object[] given = [Started(), new UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedSubstance.Heroin, Week(2)),
            new VisitMissed(MonitoringId, PatientId, EpisodeId, VisitSource.CounselingSession, Week(2), Guid.NewGuid(), Guid.NewGuid())];
        Assert.Equal("fact-not-amendable", Correct(given, 2, Amendment(new { opiates = "negative" })).Error?.Rule);
        var visit = Correct(given, 3, EnteredInError);
        Assert.Equal((ErrorKind.RuleBroken, "fact-not-correctable"), (visit.Error!.Kind, visit.Error.Rule));
    }

    [Fact]
    public void A_fact_is_corrected_once_and_only_on_an_open_monitoring()
    {
        var first = Correct(RelapsedOnAPositive, 2, EnteredInError);
        var again = Correct([.. RelapsedOnAPositive, .. first.Events], 2, Amendment(new { opiates = "negative" }));
        Assert.Equal((ErrorKind.Conflict, "fact-already-corrected"), (again.Error!.Kind, again.Error.Rule));
        var closed = Correct([.. RelapsedOnAPositive, new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, Guid.NewGuid(), Clinic, Week(4), true)],
            2, EnteredInError);
        Assert.Equal(ErrorKind.Conflict, closed.Error!.Kind);
        Assert.Empty(closed.Events);
    }
}
