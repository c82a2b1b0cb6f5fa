using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

/// <summary>Methadone after its first day: at most 10 mg a day more, at most 30 mg in any 7 of the first 14 days (defaults).</summary>
public class MethadoneTitrationTests
{
    private const Medication Mtd = Medication.Methadone;
    private static readonly DateTimeOffset FirstAt = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);

    // A schedule roomy enough that only titration binds: day 1 up to the 40 mg cap, then up to 120 mg.
    private static readonly DetoxPlanDrafted RoomyPlan = new(PlanId, PatientId, EpisodeId, Mtd,
        [new(SchedulePhase.Induction, 1, 40m), new(SchedulePhase.Stabilisation, 60, 120m)], Drafter, FirstAt.AddDays(-3));

    private static DateTimeOffset OnDay(int day) => FirstAt.AddDays(day - 1).AddHours(1);

    /// <summary>The plan with one dose on each (course day, mg) given, the first on day 1 at <see cref="FirstAt"/>.</summary>
    private static object[] Dosed(params (int Day, decimal Mg)[] days) =>
    [
        RoomyPlan, Approved with { ApprovedAt = FirstAt.AddDays(-2) },
        .. days.Select(d => (object)Given(Mtd, d.Mg, d.Day == 1 ? FirstAt : OnDay(d.Day), first: d.Day == 1)),
    ];

    private static Scenario<DetoxPlan> Dosing(object[] given, decimal mg, int day, string? reason = null, DosingProtocol? protocol = null) =>
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Mtd, mg, OnDay(day), reason), Needs with { Dosing = protocol ?? new DosingProtocol() },
            Sealing.Fake));

    [Fact]
    public void Ten_mg_above_the_previous_day_is_accepted() =>
        // Day 1 = 30 mg; day 2 = 40 mg: a rise of exactly the 10 mg step.
        Dosing(Dosed((1, 30m)), 40m, 2).Then(Given(Mtd, 40m, OnDay(2)));

    [Fact]
    public void Eleven_mg_above_the_previous_day_is_refused_with_both_days()
    {
        // Day 2 = 41 mg > 30 + 10.
        var error = Dosing(Dosed((1, 30m)), 41m, 2).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-step");
        Assert.Equal((41m, 30m, 1, 40m), ((decimal)error.Values!["dayTotalMg"]!, (decimal)error.Values["previousDayMg"]!,
            (int)error.Values["previousDay"]!, (decimal)error.Values["limitMg"]!));
    }

    [Fact]
    public void The_step_counts_the_days_total_not_the_single_dose() =>
        // Day 2 already has 35 mg; 6 mg more makes 41 mg, 11 above day 1.
        Dosing(Dosed((1, 30m), (2, 35m)), 6m, 2).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-step");

    [Fact]
    public void After_a_missed_day_the_step_is_from_the_last_dosed_day() =>
        // Days 1-2 dosed, day 3 missed: day 4 is held to day 2's 40 + 10.
        Dosing(Dosed((1, 30m), (2, 40m)), 51m, 4).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-step");

    [Fact]
    public void Thirty_mg_above_the_lowest_day_of_the_week_is_accepted() =>
        // Days 1-4 = 30, 40, 50, 55; day 5 = 60: within the step (55 + 10) and exactly 30 above day 1's 30.
        Dosing(Dosed((1, 30m), (2, 40m), (3, 50m), (4, 55m)), 60m, 5).Then(Given(Mtd, 60m, OnDay(5)));

    [Fact]
    public void Thirty_one_mg_above_the_lowest_day_of_the_week_is_refused()
    {
        // Day 5 = 61 mg: within the step (55 + 10 = 65) but 31 above day 1's 30 within 7 days.
        var error = Dosing(Dosed((1, 30m), (2, 40m), (3, 50m), (4, 55m)), 61m, 5).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-weekly");
        Assert.Equal((1, 30m, 60m), ((int)error.Values!["lowestDay"]!, (decimal)error.Values["lowestDayMg"]!, (decimal)error.Values["limitMg"]!));
    }

    [Fact]
    public void The_week_is_the_day_and_the_6_days_before_it() =>
        // Day 8's week is days 2-7 (30 mg on day 1 is out of it): lowest day 2 at 40 mg, so 70 mg is allowed.
        Dosing(Dosed((1, 30m), (2, 40m), (3, 45m), (4, 50m), (5, 55m), (6, 60m), (7, 65m)), 70m, 8).Then(Given(Mtd, 70m, OnDay(8)));

    [Fact]
    public void The_weekly_limit_holds_on_day_14_and_not_on_day_15()
    {
        // Day 1 = 30, days 9-13 = 30, 40, 50, 60, 60. Day 14's week (days 8-13) has day 9 at 30: 70 > 60 is refused.
        var given = Dosed((1, 30m), (9, 30m), (10, 40m), (11, 50m), (12, 60m), (13, 60m));
        Dosing(given, 70m, 14).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-weekly");
        // With day 14 at 60 too, day 15 (its week: days 9-14, still day 9 at 30) is past the first 14 days: 70 is only held to the step.
        Dosing([.. given, Given(Mtd, 60m, OnDay(14))], 70m, 15).Then(Given(Mtd, 70m, OnDay(15)));
    }

    [Fact]
    public void Above_the_step_with_a_reason_is_accepted_and_the_override_recorded() =>
        Dosing(Dosed((1, 30m)), 45m, 2, "still in withdrawal 4 h after dosing, COWS 15").Then(Given(Mtd, 45m, OnDay(2),
            overrideReason: "still in withdrawal 4 h after dosing, COWS 15", overrides: ["methadone-titration-step"]));

    [Fact]
    public void Lowering_the_dose_is_never_a_titration_problem() =>
        Dosing(Dosed((1, 40m), (2, 50m)), 20m, 3).Then(Given(Mtd, 20m, OnDay(3)));

    [Fact]
    public void A_clinic_protocol_moves_the_step_and_the_week()
    {
        var slow = new DosingProtocol { MethadoneTitrationStepMg = 5m, MethadoneTitrationWeeklyMg = 10m };
        Dosing(Dosed((1, 30m)), 35m, 2, protocol: slow).Then(Given(Mtd, 35m, OnDay(2)));
        Dosing(Dosed((1, 30m)), 36m, 2, protocol: slow).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-step");
        // Days 30, 35, 40: day 4 at 41 is within the 5 mg step but 11 above day 1 within the week.
        Dosing(Dosed((1, 30m), (2, 35m), (3, 40m)), 41m, 4, protocol: slow).ThenRejected(ErrorKind.RuleBroken, "methadone-titration-weekly");
    }

    [Fact]
    public void The_defaults_are_the_documented_limits()
    {
        var p = new DosingProtocol();
        Assert.Equal((10m, 30m, 14, 16m, 24m), (p.MethadoneTitrationStepMg, p.MethadoneTitrationWeeklyMg, p.MethadoneTitrationWeeklyDays,
            p.BuprenorphineDayOneLimitMg, p.BuprenorphineDailyMaximumMg));
    }
}
