using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using Recovery.Detox.Switching;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class SwitchTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static MedicationSwitched ToMethadone => new(PlanId, PatientId, EpisodeId, Medication.Buprenorphine, Medication.Methadone,
        Schedule(Medication.Methadone), Sealing.Fake("precipitated withdrawal"), Approver, Morning.AddHours(2));

    [Fact]
    public void Switches_to_another_medication_with_its_schedule() =>
        Scenario()
            .Given(Drafted(Medication.Buprenorphine), Approved)
            .When(p => MedicationSwitching.Decide(p, new SwitchMedication(Medication.Methadone, Schedule(Medication.Methadone),
                "precipitated withdrawal", Approver, Morning.AddHours(2)), Sealing.Fake))
            .Then(ToMethadone);

    [Fact]
    public void A_switch_names_a_different_medication() =>
        Scenario()
            .Given(Drafted(Medication.Buprenorphine), Approved)
            .When(p => MedicationSwitching.Decide(p, new SwitchMedication(Medication.Buprenorphine, Schedule(Medication.Buprenorphine),
                "dose change", Approver, Now), Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "switch-to-same-medication");

    [Fact]
    public void The_next_dose_of_the_new_medication_is_a_new_first_dose_under_its_own_rule()
    {
        var given = (object[])[Drafted(Medication.Buprenorphine), Approved, LastUse(OpioidKind.ShortActing, Morning.AddHours(-20)),
            Cows(10, Morning.AddMinutes(-10)), Given(Medication.Buprenorphine, 4m, Morning, first: true), ToMethadone];
        var plan = DetoxPlanEvolution.Fold(given);
        Assert.Equal((Medication.Methadone, PlanStatus.AwaitingInduction, 2), (plan.Medication, plan.Status, plan.Course));

        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Medication.Methadone, 31m, Morning.AddHours(3)), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "methadone-first-dose-cap");
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Medication.Methadone, 20m, Morning.AddHours(3)), Needs, Sealing.Fake))
            .Then(Given(Medication.Methadone, 20m, Morning.AddHours(3), first: true));
    }

    [Fact]
    public void The_old_medication_is_refused_after_a_switch() =>
        Scenario()
            .Given(Drafted(Medication.Buprenorphine), Approved, ToMethadone)
            .When(p => Doses.Decide(p, Dose(Medication.Buprenorphine, 4m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "dose-medication-mismatch");

    [Fact]
    public void A_switch_before_approval_still_waits_for_approval() =>
        Assert.Equal(PlanStatus.AwaitingApproval, DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine), ToMethadone]).Status);

    [Fact]
    public void A_switch_request_needs_a_reason_and_a_schedule()
    {
        var error = new SwitchMedicationRequest("methadone", null, " ").Validate(Now, "clinician@c").Error!;
        Assert.Contains("schedule", error.Errors!.Keys);
        Assert.Contains("reason", error.Errors.Keys);
    }
}
