using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

/// <summary>Buprenorphine's first-day total (default 16 mg, TIP 63) and later daily maximum (default 24 mg), each with override.</summary>
public class BuprenorphineLimitTests
{
    private const Medication Bup = Medication.Buprenorphine;
    private static readonly DateTimeOffset FirstAt = Now.AddDays(-3).AddHours(4);

    // A schedule at the plausibility ceiling, so only the buprenorphine limits bind.
    private static readonly DetoxPlanDrafted RoomyPlan = new(PlanId, PatientId, EpisodeId, Bup,
        [new(SchedulePhase.Induction, 2, 32m), new(SchedulePhase.Stabilisation, 28, 32m)], Drafter, Now.AddDays(-3));

    private static object[] Inducted(decimal firstMg = 8m) =>
        [RoomyPlan, Approved, LastUse(OpioidKind.ShortActing, FirstAt.AddHours(-20)), Cows(12, FirstAt.AddMinutes(-15)),
            Given(Bup, firstMg, FirstAt, first: true)];

    private static DateTimeOffset OnDay(int day, int hour = 2) => FirstAt.AddDays(day - 1).AddHours(hour);

    private static Scenario<DetoxPlan> Dosing(object[] given, decimal mg, DateTimeOffset at, string? reason = null, DosingProtocol? protocol = null) =>
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Bup, mg, at, reason), Needs with { Dosing = protocol ?? new DosingProtocol() },
            Sealing.Fake));

    [Fact]
    public void A_first_day_of_16_mg_is_accepted() => Dosing(Inducted(), 8m, OnDay(1)).Then(Given(Bup, 8m, OnDay(1)));

    [Fact]
    public void A_first_day_of_17_mg_is_refused_with_the_total_and_limit()
    {
        var error = Dosing(Inducted(), 9m, OnDay(1)).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-day-one-limit");
        Assert.Equal((17m, 16m), ((decimal)error.Values!["dayTotalMg"]!, (decimal)error.Values["limitMg"]!));
    }

    [Fact]
    public void The_first_day_is_the_24_hours_from_the_first_dose() =>
        // 23 h 59 min after the first dose is still day 1.
        Dosing(Inducted(), 9m, FirstAt.AddHours(24).AddMinutes(-1)).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-day-one-limit");

    [Fact]
    public void A_later_day_of_24_mg_is_accepted() => Dosing(Inducted(), 24m, OnDay(2)).Then(Given(Bup, 24m, OnDay(2)));

    [Fact]
    public void A_later_day_of_25_mg_is_refused() =>
        Dosing(Inducted(), 25m, OnDay(2)).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-daily-maximum");

    [Fact]
    public void Above_a_limit_with_a_reason_is_accepted_and_the_override_recorded()
    {
        Dosing(Inducted(), 12m, OnDay(1), "high-dose induction, fentanyl use").Then(Given(Bup, 12m, OnDay(1),
            overrideReason: "high-dose induction, fentanyl use", overrides: ["buprenorphine-day-one-limit"]));
        Dosing(Inducted(), 28m, OnDay(5), "32 mg maintenance per protocol").Then(Given(Bup, 28m, OnDay(5),
            overrideReason: "32 mg maintenance per protocol", overrides: ["buprenorphine-daily-maximum"]));
    }

    [Fact]
    public void A_clinic_may_keep_the_labels_8_mg_first_day()
    {
        var label = new DosingProtocol { BuprenorphineDayOneLimitMg = 8m };
        Dosing(Inducted(4m), 4m, OnDay(1), protocol: label).Then(Given(Bup, 4m, OnDay(1)));
        Dosing(Inducted(4m), 5m, OnDay(1), protocol: label).ThenRejected(ErrorKind.RuleBroken, "buprenorphine-day-one-limit");
    }

    [Fact]
    public void The_first_dose_itself_is_held_to_the_first_day_limit() =>
        Scenario().Given(Inducted()[..4])
            .When(p => Doses.Decide(p, Dose(Bup, 17m, FirstAt), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "buprenorphine-day-one-limit");
}
