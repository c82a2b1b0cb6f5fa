using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using Recovery.Detox.ScheduleChanges;
using Recovery.Detox.Switching;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

/// <summary>Doses against the schedule a second clinician approved, and changes of that schedule under the same four eyes.</summary>
public class ApprovedScheduleTests
{
    private const Medication Bup = Medication.Buprenorphine;

    // Buprenorphine plan (DetoxFacts): induction 2 days at 12 mg, stabilisation 14 days at 16 mg, taper 14 days at 4 mg.
    private static readonly DateTimeOffset FirstAt = Now.AddDays(-2);
    private static readonly Guid ChangeId = Guid.Parse("0190b000-0000-7000-8000-0000000000c2");

    /// <summary>A buprenorphine plan inducted with <paramref name="firstMg"/> at <see cref="FirstAt"/>, then <paramref name="more"/>.</summary>
    private static object[] Inducted(decimal firstMg = 4m, params object[] more) =>
        [Drafted(Bup), Approved, LastUse(OpioidKind.ShortActing, FirstAt.AddHours(-20)), Cows(12, FirstAt.AddMinutes(-15)),
            Given(Bup, firstMg, FirstAt, first: true), .. more];

    /// <summary>An instant on course day <paramref name="day"/> (1 = the first dose's 24 hours).</summary>
    private static DateTimeOffset OnDay(int day, int hour = 2) => FirstAt.AddDays(day - 1).AddHours(hour);

    private static Scenario<DetoxPlan> Dosing(object[] given, decimal mg, DateTimeOffset at, string? reason = null) =>
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Bup, mg, at, reason), Needs, Sealing.Fake));

    private static readonly IReadOnlyList<DosePhase> Raised =
        [new(SchedulePhase.Induction, 2, 12m), new(SchedulePhase.Stabilisation, 14, 20m), new(SchedulePhase.Taper, 14, 4m)];

    private static ScheduleChangeDrafted ChangeDrafted(DateTimeOffset at) => new(PlanId, PatientId, EpisodeId, ChangeId, Bup, Raised, Drafter, at);

    private static ScheduleChangeApproved ChangeApproved(DateTimeOffset at) =>
        new(PlanId, PatientId, EpisodeId, ChangeId, Raised, Drafter, at.AddHours(-1), Approver, at);

    [Fact]
    public void A_day_total_at_the_approved_daily_dose_is_accepted() =>
        // Day 1: 4 mg given + 8 mg = 12 mg, the induction phase's daily dose.
        Dosing(Inducted(), 8m, OnDay(1)).Then(Given(Bup, 8m, OnDay(1)));

    [Fact]
    public void One_mg_above_the_approved_daily_dose_is_refused_with_the_phase_and_amounts()
    {
        // Day 1: 4 + 9 = 13 mg > 12 mg.
        var error = Dosing(Inducted(), 9m, OnDay(1)).ThenRejected(ErrorKind.RuleBroken, "dose-above-plan");
        Assert.Equal((13m, 12m, "induction", 1), ((decimal)error.Values!["dayTotalMg"]!, (decimal)error.Values["approvedDailyMg"]!,
            (string)error.Values["phase"]!, (int)error.Values["courseDay"]!));
        Assert.Equal(["dose-above-plan"], (IEnumerable<string>)error.Values["exceeds"]!);
        // The refusal names its fields: the dose (with the limit's words) and the override reason that would let it through.
        Assert.Equal(["doseMg", "overrideReason"], (error.Errors ?? new Dictionary<string, string[]>()).Keys.Order());
        Assert.Equal(error.Message, Assert.Single(error.Errors!["doseMg"]));
        Assert.Contains("dose-above-plan", Assert.Single(error.Errors["overrideReason"]));
    }

    [Fact]
    public void Each_phase_has_its_own_daily_dose()
    {
        // Day 3 is the stabilisation phase's first day: 16 mg.
        Dosing(Inducted(), 16m, OnDay(3)).Then(Given(Bup, 16m, OnDay(3)));
        Dosing(Inducted(), 17m, OnDay(3)).ThenRejected(ErrorKind.RuleBroken, "dose-above-plan");
    }

    [Fact]
    public void Above_the_approved_dose_with_a_reason_is_accepted_and_the_override_recorded() =>
        Dosing(Inducted(), 9m, OnDay(1), "persistent withdrawal, COWS 14 at 2 h").Then(Given(Bup, 9m, OnDay(1),
            overrideReason: "persistent withdrawal, COWS 14 at 2 h", overrides: ["dose-above-plan"]));

    [Fact]
    public void A_dose_after_the_schedules_last_day_is_refused()
    {
        // 2 + 14 + 14 = 30 days: day 30 is the taper's last, day 31 has no approved dose.
        Dosing(Inducted(), 4m, OnDay(30)).Then(Given(Bup, 4m, OnDay(30)));
        var error = Dosing(Inducted(), 2m, OnDay(31)).ThenRejected(ErrorKind.RuleBroken, "dose-after-schedule");
        Assert.Equal((31, 30), ((int)error.Values!["courseDay"]!, (int)error.Values["scheduleDays"]!));
    }

    [Fact]
    public void An_approved_schedule_change_lets_the_higher_dose_through()
    {
        var approvedAt = OnDay(3, hour: 1);
        Dosing(Inducted(), 20m, OnDay(3)).ThenRejected(ErrorKind.RuleBroken, "dose-above-plan");
        Dosing(Inducted(4m, ChangeDrafted(approvedAt.AddHours(-1)), ChangeApproved(approvedAt)), 20m, OnDay(3)).Then(Given(Bup, 20m, OnDay(3)));
    }

    [Fact]
    public void A_drafted_change_does_not_count_until_a_second_clinician_approves_it() =>
        Dosing(Inducted(4m, ChangeDrafted(OnDay(3, hour: 0))), 20m, OnDay(3)).ThenRejected(ErrorKind.RuleBroken, "dose-above-plan");

    [Fact]
    public void A_dose_entered_late_is_held_to_the_schedule_approved_when_it_was_given() =>
        // Given on day 3 at 02:00, before the change approved at 05:00.
        Dosing(Inducted(4m, ChangeDrafted(OnDay(3, hour: 4)), ChangeApproved(OnDay(3, hour: 5))), 20m, OnDay(3))
            .ThenRejected(ErrorKind.RuleBroken, "dose-above-plan");

    [Fact]
    public void A_change_is_drafted_for_an_approved_plan() =>
        Scenario().Given(Inducted())
            .When(p => ScheduleChanging.Draft(p, new DraftScheduleChange(ChangeId, Raised, Drafter, OnDay(3, hour: 0))))
            .Then(ChangeDrafted(OnDay(3, hour: 0)));

    [Fact]
    public void A_change_of_an_unapproved_plan_is_refused() =>
        Scenario().Given(Drafted(Bup))
            .When(p => ScheduleChanging.Draft(p, new DraftScheduleChange(ChangeId, Raised, Drafter, Now)))
            .ThenRejected(ErrorKind.RuleBroken, "plan-not-approved");

    [Fact]
    public void The_clinician_who_drafted_a_change_cannot_approve_it()
    {
        var error = Scenario().Given(Inducted(4m, ChangeDrafted(Now.AddHours(-2))))
            .When(p => ScheduleChanging.Approve(p, new ApproveScheduleChange(ChangeId, " DR-ADA ", Now)))
            .ThenRejected(ErrorKind.RuleBroken, "second-clinician-required");
        Assert.Equal(Drafter, error.Values!["draftedBy"]);
    }

    [Fact]
    public void A_second_clinician_approves_a_change_and_it_becomes_the_plans_schedule()
    {
        var given = Inducted(4m, ChangeDrafted(Now.AddHours(-2)));
        Scenario().Given(given).When(p => ScheduleChanging.Approve(p, new ApproveScheduleChange(ChangeId, Approver, Now.AddHours(-1))))
            .Then(ChangeApproved(Now.AddHours(-1)));
        var plan = DetoxPlanEvolution.Fold([.. given, ChangeApproved(Now.AddHours(-1))]);
        Assert.Equal(Raised, plan.Schedule);
        Assert.Null(plan.PendingScheduleChange);
    }

    [Fact]
    public void One_change_is_pending_at_a_time() =>
        Scenario().Given(Inducted(4m, ChangeDrafted(Now.AddHours(-2))))
            .When(p => ScheduleChanging.Draft(p, new DraftScheduleChange(Guid.NewGuid(), Schedule(Bup), Drafter, Now)))
            .ThenRejected(ErrorKind.Conflict, "schedule-change-pending");

    [Fact]
    public void Approving_an_unknown_or_approved_change_is_refused()
    {
        Scenario().Given(Inducted())
            .When(p => ScheduleChanging.Approve(p, new ApproveScheduleChange(ChangeId, Approver, Now)))
            .ThenRejected(ErrorKind.NotFound, "schedule-change-not-found");
        Scenario().Given(Inducted(4m, ChangeDrafted(Now.AddHours(-2)), ChangeApproved(Now.AddHours(-1))))
            .When(p => ScheduleChanging.Approve(p, new ApproveScheduleChange(ChangeId, Approver, Now)))
            .ThenRejected(ErrorKind.Conflict, "schedule-change-already-approved");
    }

    [Fact]
    public void A_change_to_the_same_schedule_or_above_the_medications_ceiling_is_refused()
    {
        Scenario().Given(Inducted())
            .When(p => ScheduleChanging.Draft(p, new DraftScheduleChange(ChangeId, Schedule(Bup), Drafter, Now)))
            .ThenRejected(ErrorKind.RuleBroken, "schedule-unchanged");
        var error = Scenario().Given(Inducted())
            .When(p => ScheduleChanging.Draft(p, new DraftScheduleChange(ChangeId, [new(SchedulePhase.Induction, 2, 40m)], Drafter, Now)))
            .ThenRejected(ErrorKind.Invalid, "request-invalid");
        Assert.Contains("schedule[0].dailyDoseMg", error.Errors!.Keys);
    }

    [Fact]
    public void A_switch_drops_a_pending_change_and_brings_its_own_schedule()
    {
        var switched = new MedicationSwitched(PlanId, PatientId, EpisodeId, Bup, Medication.Methadone, Schedule(Medication.Methadone),
            Sealing.Fake("precipitated withdrawal"), Approver, Now);
        var plan = DetoxPlanEvolution.Fold(Inducted(4m, ChangeDrafted(Now.AddHours(-2)), switched));
        Assert.Null(plan.PendingScheduleChange);
        Assert.Equal(Schedule(Medication.Methadone), plan.ScheduleAt(Now.AddHours(1)));
    }

    [Fact]
    public void A_change_request_needs_a_valid_schedule()
    {
        var error = new DraftScheduleChangeRequest([new DosePhaseRequest("stabilisation", 3, 16m)]).Validate(ChangeId, Now, Drafter).Error!;
        Assert.Contains("schedule", error.Errors!.Keys);
        Assert.Null(new DraftScheduleChangeRequest([new DosePhaseRequest("induction", 3, 16m)]).Validate(ChangeId, Now, Drafter).Error);
    }
}
