using Microsoft.Extensions.Configuration;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Dosing;
using Recovery.Detox.Switching;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class PlanViewTests
{
    [Fact]
    public void The_view_lists_everything_the_next_first_dose_still_needs()
    {
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine), Cows(6, Now.AddMinutes(-10))]);
        var next = DetoxPlanView.Of(plan, Protocol, Now).NextFirstDose!;
        Assert.False(next.ReadyNow);
        Assert.Equal(["plan-not-approved", "last-opioid-use-required", "buprenorphine-cows-too-low"], next.Needs.Select(n => n.Rule));
    }

    [Fact]
    public void The_view_tells_when_a_wait_ends()
    {
        var usedAt = Now.AddHours(-10);
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine), Approved, LastUse(OpioidKind.ShortActing, usedAt),
            Cows(9, Now.AddMinutes(-10))]);
        var need = Assert.Single(DetoxPlanView.Of(plan, Protocol, Now).NextFirstDose!.Needs);
        Assert.Equal(usedAt.AddHours(12), need.Values!["earliestDoseAfter"]);
    }

    [Fact]
    public void A_ready_methadone_induction_shows_its_caps()
    {
        var next = DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved]), Protocol, Now).NextFirstDose!;
        Assert.True(next.ReadyNow);
        Assert.Contains("30", Assert.Single(next.Limits));
    }

    [Fact]
    public void Once_inducted_there_is_no_next_first_dose() =>
        Assert.Null(DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved,
            Given(Medication.Methadone, 20m, Now.AddHours(-1), first: true)]), Protocol, Now).NextFirstDose);

    [Fact]
    public void Clinic_settings_override_the_defaults_and_the_network_default()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["InductionProtocol:Default:MethadoneDayOneCapMg"] = "45",
            ["InductionProtocol:Clinics:clinic-south:BuprenorphineMinimumCows"] = "12",
            ["InductionProtocol:Clinics:clinic-south:MethadoneDayOneCapMg"] = "50",
        }).Build();
        var protocols = new ClinicProtocols<InductionProtocol>(configuration, InductionProtocolView.Section);

        var north = protocols.For("clinic-north");
        Assert.Equal((8, 45m, 30m), (north.BuprenorphineMinimumCows, north.MethadoneDayOneCapMg, north.MethadoneFirstDoseCapMg));
        var south = protocols.For("clinic-south");
        Assert.Equal((12, 50m, 72), (south.BuprenorphineMinimumCows, south.MethadoneDayOneCapMg, south.BuprenorphineHoursAfterMethadone));
    }

    [Fact]
    public void The_defaults_are_the_documented_thresholds()
    {
        var p = new InductionProtocol();
        Assert.Equal((8, 60, 12, 24, 72, 0), (p.BuprenorphineMinimumCows, p.BuprenorphineCowsWindowMinutes, p.BuprenorphineHoursAfterShortActing,
            p.BuprenorphineHoursAfterExtendedRelease, p.BuprenorphineHoursAfterMethadone, p.BuprenorphineHoursAfterBuprenorphine));
        Assert.Equal((7, 14, 30m, 40m), (p.NaltrexoneOpioidFreeDays, p.NaltrexoneOpioidFreeDaysAfterLongActing, p.MethadoneFirstDoseCapMg,
            p.MethadoneDayOneCapMg));
    }

    [Fact]
    public void The_view_opens_override_and_switch_reasons_and_after_erasure_shows_only_that_there_were_some()
    {
        var key = PatientKey.New(PatientId);
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved,
            new DoseGiven(PlanId, PatientId, EpisodeId, Medication.Methadone, 35m, Now, Nurse, true, key.Seal("high tolerance")),
            new MedicationSwitched(PlanId, PatientId, EpisodeId, Medication.Methadone, Medication.Buprenorphine,
                Schedule(Medication.Buprenorphine), key.Seal("QTc 502 ms"), Approver, Now.AddDays(1))]);

        var readable = DetoxPlanView.Of(plan, Protocol, Now, new PersonalDataReader(key));
        Assert.Equal(("high tolerance", true, "QTc 502 ms", false), (readable.Doses[0].OverrideReason, readable.Doses[0].AboveCapOverride,
            readable.Switches[0].Reason, readable.PersonalDataErased));

        var erased = DetoxPlanView.Of(plan, Protocol, Now, new PersonalDataReader(null));
        Assert.Equal((null, true, null, true), (erased.Doses[0].OverrideReason, erased.Doses[0].AboveCapOverride,
            erased.Switches[0].Reason, erased.PersonalDataErased));
    }
}
