using System.Text.Json;
using JasperFx.Events;
using Recovery.Clinical;
using Recovery.Contracts;
using Recovery.Detox.Admission;
using Recovery.Detox.Closing;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using Recovery.Detox.Publishing;
using Recovery.Detox.ScheduleChanges;
using Recovery.Detox.Switching;
using static Recovery.Detox.Tests.DetoxFacts;
using V1 = Recovery.Contracts.Detox.V1;

namespace Recovery.Detox.Tests;

public class PublishingTests
{
    private const string ClinicId = "clinic-north";
    private static readonly DateTimeOffset StoredAt = Now.AddSeconds(1);

    private static object? Publish(object data) =>
        new DetoxIntegrationEvents().ToIntegrationEvent(new Event<object>(data) { TenantId = ClinicId, Timestamp = StoredAt });

    internal static object[] OneOfEach =>
    [
        Drafted(Medication.ExtendedReleaseNaltrexone), Approved, LastUse(OpioidKind.ExtendedRelease, Now.AddDays(-9)),
        Screen(ScreenResult.Negative, Now.AddHours(-1)), Cows(9, Now.AddMinutes(-5)),
        Given(Medication.Methadone, 35m, Now, first: true, "tolerance"),
        new DoseMissed(PlanId, PatientId, EpisodeId, new DateOnly(2026, 11, 1)),
        new MedicationSwitched(PlanId, PatientId, EpisodeId, Medication.Methadone, Medication.Buprenorphine,
            Schedule(Medication.Buprenorphine), Sealing.Fake("QTc"), Approver, Now),
        new DetoxCompleted(PlanId, PatientId, EpisodeId, Medication.Buprenorphine, new DateOnly(2026, 11, 2), 30),
        new DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Methadone, new DateOnly(2026, 11, 2), DropoutReason.LeftAgainstAdvice, 12),
        ChangeDrafted, ChangeApproved,
        new AdmissionJustificationRecorded(PlanId, PatientId, EpisodeId, AdmissionBasis.HighRiskOfRecurrenceOrOverdose,
            Sealing.Fake("two overdoses this year"), Approver, Now),
    ];

    private static readonly Guid ChangeId = Guid.Parse("0190b000-0000-7000-8000-0000000000c1");
    private static readonly IReadOnlyList<DosePhase> Raised = [new(SchedulePhase.Induction, 1, 40m), new(SchedulePhase.Stabilisation, 14, 80m)];

    internal static ScheduleChangeDrafted ChangeDrafted => new(PlanId, PatientId, EpisodeId, ChangeId, Medication.Methadone, Raised, Drafter, Now);

    internal static ScheduleChangeApproved ChangeApproved => new(PlanId, PatientId, EpisodeId, ChangeId, Raised, Drafter, Now, Approver, Now.AddHours(1));

    /// <summary>A correction names a fact by the contract consumers received it as, not by the domain event's name.</summary>
    [Fact]
    public void A_corrected_facts_kind_is_the_name_of_the_contract_it_was_published_as()
    {
        string KindOf(object data) => Recovery.BuildingBlocks.Corrections.FactCorrections.KindOf(new DetoxIntegrationEvents(),
            new Event<object>(data) { TenantId = ClinicId, Timestamp = StoredAt });
        Assert.Equal("detox-withdrawal-checked", KindOf(Cows(9, Now.AddMinutes(-5))));
        Assert.Equal("dose-given", KindOf(Given(Medication.Methadone, 30m, Now, first: true)));
        Assert.Equal("induction-urine-screen-recorded", KindOf(Screen(ScreenResult.Negative, Now.AddHours(-1))));
        var published = Assert.IsType<Recovery.Contracts.Corrections.V1.FactEnteredInError>(Publish(new Recovery.BuildingBlocks.Corrections.FactEnteredInError(
            Guid.NewGuid(), 5, KindOf(Cows(9, Now.AddMinutes(-5))), PatientId, EpisodeId, Sealing.Fake("wrong patient"))));
        Assert.Equal("detox-withdrawal-checked", published.Kind);
    }

    [Fact]
    public void Every_detox_contract_is_produced()
    {
        var contracts = typeof(V1.DetoxPlanDrafted).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(V1.DetoxPlanDrafted).Namespace && typeof(IPatientEvent).IsAssignableFrom(t));
        Assert.Equal(contracts.Select(t => t.Name).Order(), OneOfEach.Select(e => Publish(e)!.GetType().Name).Order());
    }

    [Fact]
    public void Every_contract_names_the_patient_clinic_episode_and_storage_time()
    {
        foreach (var published in OneOfEach.Select(Publish).Cast<IPatientEvent>())
        {
            Assert.Equal((PatientId, ClinicId, (Guid?)EpisodeId, StoredAt),
                (published.PatientId, published.ClinicId, published.EpisodeId, published.OccurredAt));
        }
    }

    [Fact]
    public void Enumerations_travel_as_kebab_strings()
    {
        var drafted = Assert.IsType<V1.DetoxPlanDrafted>(Publish(Drafted(Medication.ExtendedReleaseNaltrexone)));
        Assert.Equal("extended-release-naltrexone", drafted.Medication);
        Assert.Equal(new V1.DosePhase("induction", 1, 380m), Assert.Single(drafted.Schedule));

        var check = Assert.IsType<V1.DetoxWithdrawalChecked>(Publish(Cows(9, Now)));
        Assert.Equal(("mild", 11), (check.Band, check.Items.Count));
        Assert.True(check.Items.ContainsKey(Kebab.Of(CowsItem.GoosefleshSkin)));

        var dropout = Assert.IsType<V1.DetoxDroppedOut>(Publish(new DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Methadone,
            new DateOnly(2026, 11, 2), DropoutReason.LeftAgainstAdvice, 12)));
        Assert.Equal(("left-against-advice", "methadone", 12), (dropout.Reason, dropout.Medication, dropout.DaysInTreatment));

        Assert.Equal("extended-release", Assert.IsType<V1.LastOpioidUseRecorded>(Publish(LastUse(OpioidKind.ExtendedRelease, Now))).Kind);
    }

    [Fact]
    public void A_dose_carries_its_first_dose_flag_and_whether_it_overrode_the_cap_but_not_the_reason()
    {
        var dose = Assert.IsType<V1.DoseGiven>(Publish(Given(Medication.Methadone, 35m, Now, first: true, "high tolerance, uses 2 g daily")));
        Assert.Equal(("methadone", 35m, true, true, Nurse), (dose.Medication, dose.DoseMg, dose.FirstDose, dose.AboveCapOverride, dose.GivenBy));
        Assert.DoesNotContain("tolerance", JsonSerializer.Serialize(dose));
        Assert.False(Assert.IsType<V1.DoseGiven>(Publish(Given(Medication.Methadone, 20m, Now))).AboveCapOverride);
    }

    [Fact]
    public void A_schedule_change_is_published_with_its_whole_schedule_and_both_clinicians()
    {
        var drafted = Assert.IsType<V1.ScheduleChangeDrafted>(Publish(ChangeDrafted));
        Assert.Equal((ChangeId, "methadone", Drafter, 2), (drafted.ChangeId, drafted.Medication, drafted.DraftedBy, drafted.Schedule.Count));
        var approved = Assert.IsType<V1.ScheduleChangeApproved>(Publish(ChangeApproved));
        Assert.Equal((ChangeId, Approver, new V1.DosePhase("stabilisation", 14, 80m)), (approved.ChangeId, approved.ApprovedBy, approved.Schedule[1]));
    }

    [Fact]
    public void An_admission_basis_is_published_without_its_reason()
    {
        var recorded = Assert.IsType<V1.AdmissionJustificationRecorded>(Publish(new AdmissionJustificationRecorded(PlanId, PatientId, EpisodeId,
            AdmissionBasis.OudInRemission, Sealing.Fake("in remission 5 months"), Approver, Now)));
        Assert.Equal("oud-in-remission", recorded.Basis);
        Assert.DoesNotContain("remission 5", JsonSerializer.Serialize(recorded));
    }

    [Fact]
    public void A_switch_is_published_without_its_reason()
    {
        var switched = Assert.IsType<V1.MedicationSwitched>(Publish(new MedicationSwitched(PlanId, PatientId, EpisodeId, Medication.Methadone,
            Medication.Buprenorphine, Schedule(Medication.Buprenorphine), Sealing.Fake("QTc 502 ms"), Approver, Now)));
        Assert.Equal(("methadone", "buprenorphine"), (switched.FromMedication, switched.ToMedication));
        Assert.DoesNotContain("QTc", JsonSerializer.Serialize(switched));
    }
}
