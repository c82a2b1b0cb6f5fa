using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Approval;
using Recovery.Detox.Closing;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Switching;
using Recovery.Detox.Withdrawal;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class ClosingTests
{
    private static readonly DateTimeOffset FirstDoseAt = new(2026, 10, 31, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 2);

    private static object[] Dosed => [Drafted(Medication.Methadone), Approved, Given(Medication.Methadone, 30m, FirstDoseAt, first: true),
        Given(Medication.Methadone, 40m, FirstDoseAt.AddDays(1))];

    [Fact]
    public void Completion_counts_days_in_treatment_from_the_first_dose_day_as_day_one() =>
        Scenario()
            .Given(Dosed)
            .When(p => DetoxClosing.Complete(p, new CompleteDetox(Today)))
            .Then(new DetoxCompleted(PlanId, PatientId, EpisodeId, Medication.Methadone, Today, 3));

    [Fact]
    public void Completion_needs_at_least_one_dose() =>
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => DetoxClosing.Complete(p, new CompleteDetox(Today)))
            .ThenRejected(ErrorKind.RuleBroken, "no-dose-given");

    [Fact]
    public void A_plan_cannot_close_before_its_last_dose() =>
        Scenario()
            .Given(Dosed)
            .When(p => DetoxClosing.Complete(p, new CompleteDetox(new DateOnly(2026, 10, 31))))
            .ThenRejected(ErrorKind.RuleBroken, "closing-date-too-early");

    [Fact]
    public void A_dropout_records_its_reason_and_days_in_treatment() =>
        Scenario()
            .Given(Dosed)
            .When(p => DetoxClosing.DropOut(p, new RecordDropout(DropoutReason.LeftAgainstAdvice, Today)))
            .Then(new DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Methadone, Today, DropoutReason.LeftAgainstAdvice, 3));

    [Fact]
    public void A_dropout_before_any_dose_has_no_days_in_treatment() =>
        Scenario()
            .Given(Drafted(Medication.Buprenorphine))
            .When(p => DetoxClosing.DropOut(p, new RecordDropout(DropoutReason.StoppedAttending, Today)))
            .Then(new DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Buprenorphine, Today, DropoutReason.StoppedAttending, 0));

    [Theory]
    [InlineData("stopped-attending", true)]
    [InlineData("left-against-advice", true)]
    [InlineData("transferred", true)]
    [InlineData("incarcerated", true)]
    [InlineData("hospitalised", true)]
    [InlineData("other", true)]
    [InlineData("bored", false)]
    [InlineData(null, false)]
    public void Dropout_reasons_are_the_clinics_list(string? reason, bool valid) =>
        Assert.Equal(valid, new RecordDropoutRequest(reason, null).Validate(Now).Error is null);

    public static TheoryData<string, Func<DetoxPlan, Decision>> EveryCommand => new()
    {
        { "approval", p => PlanApproval.Decide(p, new ApprovePlan("dr-dee", Now)) },
        { "last-opioid-use", p => LastOpioidUse.Decide(p, new RecordLastOpioidUse(OpioidKind.ShortActing, Now)) },
        { "urine-screen", p => InductionUrineScreens.Decide(p, new RecordInductionUrineScreen(ScreenResult.Negative, Now)) },
        { "withdrawal-check", p => WithdrawalChecks.Decide(p, new CheckWithdrawal(Now, ItemsTotalling(3))) },
        { "dose", p => Doses.Decide(p, Dose(Medication.Methadone, 40m, Now), Needs, Sealing.Fake) },
        { "missed-dose", p => MissedDoses.Decide(p, new RecordMissedDose(Today)) },
        { "switch", p => MedicationSwitching.Decide(p, new SwitchMedication(Medication.Buprenorphine, Schedule(Medication.Buprenorphine), "x", Approver, Now), Sealing.Fake) },
        { "completion", p => DetoxClosing.Complete(p, new CompleteDetox(Today)) },
        { "dropout", p => DetoxClosing.DropOut(p, new RecordDropout(DropoutReason.Other, Today)) },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Nothing_is_recorded_after_completion(string command, Func<DetoxPlan, Decision> decide)
    {
        Assert.NotNull(command);
        Scenario()
            .Given([.. Dosed, new DetoxCompleted(PlanId, PatientId, EpisodeId, Medication.Methadone, Today, 3)])
            .When(decide)
            .ThenRejected(ErrorKind.Conflict, "plan-closed");
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Nothing_is_recorded_after_dropout(string command, Func<DetoxPlan, Decision> decide)
    {
        Assert.NotNull(command);
        Scenario()
            .Given([.. Dosed, new DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Methadone, Today, DropoutReason.Incarcerated, 3)])
            .When(decide)
            .ThenRejected(ErrorKind.Conflict, "plan-closed");
    }

    [Fact]
    public void Closing_dates_cannot_be_in_the_future()
    {
        Assert.Contains("completedOn", new CompleteDetoxRequest(new DateOnly(2026, 11, 3)).Validate(Now).Error!.Errors!.Keys);
        Assert.Equal(Today, new CompleteDetoxRequest(null).Validate(Now).Value!.CompletedOn);
    }

    [Fact]
    public void Days_in_treatment_count_from_the_first_dose_even_after_a_switch()
    {
        var plan = DetoxPlanEvolution.Fold([.. Dosed, new MedicationSwitched(PlanId, PatientId, EpisodeId, Medication.Methadone,
            Medication.Buprenorphine, Schedule(Medication.Buprenorphine), Sealing.Fake("side effects"), Approver, Now)]);
        Assert.Equal(3, DetoxClosing.DaysInTreatment(plan, Today));
        Assert.Equal(Kebab.Of(PlanStatus.AwaitingInduction), Kebab.Of(plan.Status));
    }
}
