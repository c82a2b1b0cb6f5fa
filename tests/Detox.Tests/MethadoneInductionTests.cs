using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class MethadoneInductionTests
{
    private const Medication Mtd = Medication.Methadone;
    private static readonly DateTimeOffset Morning = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static Scenario<DetoxPlan> Dosing(object[] given, decimal mg, DateTimeOffset at, string? reason = null) =>
        Scenario().Given([Drafted(Mtd), Approved, .. given]).When(p => Doses.Decide(p, Dose(Mtd, mg, at, reason), Needs, Sealing.Fake));

    [Fact]
    public void A_first_dose_of_30_mg_is_accepted() => Dosing([], 30m, Morning).Then(Given(Mtd, 30m, Morning, first: true));

    [Fact]
    public void A_first_dose_of_31_mg_is_refused_with_dose_and_cap()
    {
        var error = Dosing([], 31m, Morning).ThenRejected(ErrorKind.RuleBroken, "methadone-first-dose-cap");
        Assert.Equal(31m, error.Values!["doseMg"]);
        Assert.Equal(30m, error.Values["capMg"]);
    }

    [Fact]
    public void Above_the_cap_with_a_reason_is_accepted_and_the_reason_recorded() =>
        Dosing([], 35m, Morning, "high tolerance, documented by Dr Bo").Then(Given(Mtd, 35m, Morning, first: true, "high tolerance, documented by Dr Bo",
            overrides: ["methadone-first-dose-cap"]));

    [Fact]
    public void A_reason_on_a_dose_within_the_cap_is_not_an_override() =>
        Dosing([], 20m, Morning, "just in case").Then(Given(Mtd, 20m, Morning, first: true));

    [Fact]
    public void A_day_one_total_of_40_mg_is_accepted() =>
        Dosing([Given(Mtd, 30m, Morning, first: true)], 10m, Morning.AddHours(4)).Then(Given(Mtd, 10m, Morning.AddHours(4)));

    [Fact]
    public void A_day_one_total_of_41_mg_is_refused_with_total_and_cap()
    {
        var error = Dosing([Given(Mtd, 30m, Morning, first: true)], 11m, Morning.AddHours(4))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");
        Assert.Equal(41m, error.Values!["dayOneTotalMg"]);
        Assert.Equal(11m, error.Values["doseMg"]);
        Assert.Equal(40m, error.Values["capMg"]);
    }

    [Fact]
    public void Each_dose_that_takes_day_one_over_the_cap_needs_its_own_reason() =>
        Dosing([Given(Mtd, 35m, Morning, first: true, "tolerance")], 10m, Morning.AddHours(3))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");

    [Fact]
    public void Day_one_is_the_24_hours_from_the_first_dose_so_a_split_dose_across_midnight_counts_in_full()
    {
        // 30 mg at 23:30, 30 mg at 00:30: one hour apart, two calendar dates, one first day of 60 mg.
        var lateEvening = new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.Zero);
        var error = Dosing([Given(Mtd, 30m, lateEvening, first: true)], 30m, lateEvening.AddHours(1))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");
        Assert.Equal(60m, error.Values!["dayOneTotalMg"]);
        Assert.Equal(lateEvening.AddHours(24), error.Values["dayOneUntil"]);
    }

    [Fact]
    public void A_dose_one_minute_before_the_24_hours_end_is_still_day_one()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.Zero);
        Dosing([Given(Mtd, 30m, lateEvening, first: true)], 15m, lateEvening.AddHours(24).AddMinutes(-1))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");
    }

    [Fact]
    public void A_dose_exactly_24_hours_after_the_first_is_day_two_and_not_capped()
    {
        // Day 1 = 30 mg; day 2 = 30 + 10 = 40 mg: within the 10 mg step, under the 60 mg stabilisation dose.
        var lateEvening = new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.Zero);
        Dosing([Given(Mtd, 30m, lateEvening, first: true)], 40m, lateEvening.AddHours(24)).Then(Given(Mtd, 40m, lateEvening.AddHours(24)));
    }

    [Fact]
    public void The_first_day_counts_in_instants_whatever_offset_the_request_carries()
    {
        var firstUtc = new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.Zero);
        var sameUtcDayInLocalNextDay = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.FromHours(5)); // 20:00Z on Nov 1
        Dosing([Given(Mtd, 30m, firstUtc, first: true)], 20m, sameUtcDayInLocalNextDay.AddMinutes(30))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-day-one-cap");
    }

    [Fact]
    public void Doses_after_day_one_are_not_capped() =>
        Dosing([Given(Mtd, 30m, Morning.AddDays(-1), first: true), Given(Mtd, 10m, Morning.AddDays(-1).AddHours(4))], 50m, Morning)
            .Then(Given(Mtd, 50m, Morning));

    [Fact]
    public void A_dose_cannot_precede_the_first_dose() =>
        Dosing([Given(Mtd, 30m, Morning, first: true)], 5m, Morning.AddHours(-1)).ThenRejected(ErrorKind.RuleBroken, "dose-before-first-dose");

    [Fact]
    public void A_clinic_protocol_moves_the_caps()
    {
        var plan = DetoxPlanEvolution.Fold([Drafted(Mtd), Approved]);
        var lenient = new InductionProtocol { MethadoneFirstDoseCapMg = 40m, MethadoneDayOneCapMg = 50m };
        Assert.Null(InductionRules.MethadoneCapBroken(plan, 40m, Morning, lenient));
        Assert.Equal("methadone-first-dose-cap", InductionRules.MethadoneCapBroken(plan, 40.5m, Morning, lenient)!.Rule);
    }

    [Fact]
    public void Methadone_needs_no_last_use_nor_withdrawal_check() =>
        Assert.Empty(InductionRules.Unmet(DetoxPlanEvolution.Fold([Drafted(Mtd), Approved]), Now, Protocol));
}
