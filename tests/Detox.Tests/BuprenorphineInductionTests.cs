using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Switching;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class BuprenorphineInductionTests
{
    private const Medication Bup = Medication.Buprenorphine;

    /// <summary>A plan ready for induction at <see cref="DetoxFacts.Now"/> except for what the test changes.</summary>
    private static object[] Ready(int cows = 12, TimeSpan? cowsBefore = null, OpioidKind kind = OpioidKind.ShortActing, TimeSpan? usedBefore = null) =>
        [Drafted(Bup), Approved, LastUse(kind, Now - (usedBefore ?? TimeSpan.FromHours(20))), Cows(cows, Now - (cowsBefore ?? TimeSpan.FromMinutes(15)))];

    private static Scenario<DetoxPlan> FirstDose(object[] given, decimal mg = 4m) =>
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Bup, mg, Now), Needs, Sealing.Fake));

    [Fact]
    public void The_first_dose_in_withdrawal_long_enough_after_use_is_an_induction() =>
        FirstDose(Ready()).Then(Given(Bup, 4m, Now, first: true));

    [Fact]
    public void Cows_7_is_refused_with_the_score_and_threshold()
    {
        var error = FirstDose(Ready(cows: 7)).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-cows-too-low");
        Assert.Equal(7, error.Values!["cowsTotal"]);
        Assert.Equal(8, error.Values["minimumCows"]);
    }

    [Fact]
    public void Cows_8_is_accepted() => FirstDose(Ready(cows: 8)).Then(Given(Bup, 4m, Now, first: true));

    [Fact]
    public void A_check_exactly_60_minutes_before_counts() =>
        FirstDose(Ready(cowsBefore: TimeSpan.FromMinutes(60))).Then(Given(Bup, 4m, Now, first: true));

    [Fact]
    public void A_check_older_than_60_minutes_does_not()
    {
        var error = FirstDose(Ready(cowsBefore: TimeSpan.FromMinutes(61))).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-cows-required");
        Assert.Equal(60, error.Values!["windowMinutes"]);
    }

    [Fact]
    public void A_check_scored_after_the_dose_does_not_count() =>
        FirstDose(Ready(cowsBefore: TimeSpan.FromMinutes(-5))).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-cows-required");

    [Fact]
    public void The_latest_check_in_the_window_decides()
    {
        var given = (object[])[.. Ready(cows: 12, cowsBefore: TimeSpan.FromMinutes(50)), Cows(5, Now.AddMinutes(-10))];
        FirstDose(given).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-cows-too-low");
    }

    [Fact]
    public void No_last_use_recorded_is_refused() =>
        Scenario()
            .Given(Drafted(Bup), Approved, Cows(12, Now.AddMinutes(-15)))
            .When(p => Doses.Decide(p, Dose(Bup, 4m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "last-opioid-use-required");

    [Theory]
    [InlineData(OpioidKind.ShortActing, 12)]
    [InlineData(OpioidKind.ExtendedRelease, 24)]
    [InlineData(OpioidKind.Methadone, 72)]
    public void Exactly_the_wait_after_last_use_is_too_soon(OpioidKind kind, int hours)
    {
        var error = FirstDose(Ready(kind: kind, usedBefore: TimeSpan.FromHours(hours)))
            .ThenRejected(ErrorKind.RuleBroken, "buprenorphine-too-soon-after-opioid");
        Assert.Equal((double)hours, error.Values!["hoursSinceUse"]);
        Assert.Equal(hours, error.Values["requiredHoursMoreThan"]);
    }

    [Theory]
    [InlineData(OpioidKind.ShortActing, 12)]
    [InlineData(OpioidKind.ExtendedRelease, 24)]
    [InlineData(OpioidKind.Methadone, 72)]
    public void One_minute_more_than_the_wait_is_accepted(OpioidKind kind, int hours) =>
        FirstDose(Ready(kind: kind, usedBefore: TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(1))).Then(Given(Bup, 4m, Now, first: true));

    [Fact]
    public void An_earlier_long_acting_use_can_outlast_a_later_short_acting_one()
    {
        var given = (object[])[.. Ready(kind: OpioidKind.ShortActing, usedBefore: TimeSpan.FromHours(13)),
            LastUse(OpioidKind.Methadone, Now.AddHours(-48))];
        var error = FirstDose(given).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-too-soon-after-opioid");
        Assert.Equal("methadone", error.Values!["lastUseKind"]);
    }

    [Fact]
    public void Later_doses_are_not_inductions()
    {
        var given = (object[])[.. Ready(), Given(Bup, 4m, Now.AddHours(-1), first: true)];
        // No fresh COWS needed for the repeat dose.
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Bup, 4m, Now), Needs, Sealing.Fake)).Then(Given(Bup, 4m, Now));
    }

    [Fact]
    public void After_a_switch_from_methadone_the_last_methadone_dose_counts_as_methadone_use()
    {
        var switched = new MedicationSwitched(PlanId, PatientId, EpisodeId, Medication.Methadone, Bup, Schedule(Bup), Sealing.Fake("QTc prolonged"),
            Approver, Now.AddHours(-30));
        var given = (object[])[Drafted(Medication.Methadone), Approved, LastUse(OpioidKind.ShortActing, Now.AddDays(-2)),
            Given(Medication.Methadone, 30m, Now.AddDays(-2).AddHours(2), first: true), Given(Medication.Methadone, 40m, Now.AddHours(-48)),
            switched, Cows(14, Now.AddMinutes(-20))];
        var error = Scenario().Given(given).When(p => Doses.Decide(p, Dose(Bup, 2m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "buprenorphine-too-soon-after-opioid");
        Assert.Equal("methadone", error.Values!["lastUseKind"]);
        Assert.Equal(72, error.Values["requiredHoursMoreThan"]);
    }

    [Fact]
    public void A_clinic_protocol_moves_the_thresholds()
    {
        var strict = new InductionProtocol { BuprenorphineMinimumCows = 13, BuprenorphineHoursAfterShortActing = 24 };
        Assert.Equal(["buprenorphine-cows-too-low", "buprenorphine-too-soon-after-opioid"],
            InductionRules.Unmet(DetoxPlanEvolution.Fold(Ready(cows: 12)), Now, strict).Select(e => e.Rule));
    }

    [Fact]
    public void By_default_the_wait_means_more_than_12_hours_and_a_clinic_may_choose_at_least()
    {
        Assert.False(new InductionProtocol().BuprenorphineWaitInclusive);
        var plan = DetoxPlanEvolution.Fold(Ready(usedBefore: TimeSpan.FromHours(12)));
        var inclusive = new InductionProtocol { BuprenorphineWaitInclusive = true };
        Assert.Empty(InductionRules.Unmet(plan, Now, inclusive));
        var error = Assert.Single(InductionRules.Unmet(DetoxPlanEvolution.Fold(Ready(usedBefore: TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1))),
            Now, inclusive));
        Assert.Equal(("buprenorphine-too-soon-after-opioid", 12), (error.Rule, (int)error.Values!["requiredHoursAtLeast"]!));
    }
}
