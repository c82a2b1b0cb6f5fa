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
        var next = DetoxPlanView.Of(plan, Needs, Now).NextFirstDose!;
        Assert.False(next.ReadyNow);
        Assert.Equal(["plan-not-approved", "last-opioid-use-required", "buprenorphine-cows-too-low"], next.Needs.Select(n => n.Rule));
    }

    [Fact]
    public void The_view_tells_when_a_wait_ends()
    {
        var usedAt = Now.AddHours(-10);
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Buprenorphine), Approved, LastUse(OpioidKind.ShortActing, usedAt),
            Cows(9, Now.AddMinutes(-10))]);
        var need = Assert.Single(DetoxPlanView.Of(plan, Needs, Now).NextFirstDose!.Needs);
        Assert.Equal(usedAt.AddHours(12), need.Values!["earliestDoseAfter"]);
    }

    [Fact]
    public void A_ready_methadone_induction_shows_its_caps()
    {
        var next = DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved]), Needs, Now).NextFirstDose!;
        Assert.True(next.ReadyNow);
        Assert.Contains("30", Assert.Single(next.Limits));
    }

    [Fact]
    public void Once_inducted_there_is_no_next_first_dose() =>
        Assert.Null(DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved,
            Given(Medication.Methadone, 20m, Now.AddHours(-1), first: true)]), Needs, Now).NextFirstDose);

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

        var readable = DetoxPlanView.Of(plan, Needs, Now, new PersonalDataReader(key));
        Assert.Equal(("high tolerance", true, "QTc 502 ms", false), (readable.Doses[0].OverrideReason, readable.Doses[0].AboveCapOverride,
            readable.Switches[0].Reason, readable.PersonalDataErased));

        var erased = DetoxPlanView.Of(plan, Needs, Now, new PersonalDataReader(null));
        Assert.Equal((null, true, null, true), (erased.Doses[0].OverrideReason, erased.Doses[0].AboveCapOverride,
            erased.Switches[0].Reason, erased.PersonalDataErased));
    }

    [Fact]
    public void The_view_tells_what_the_next_methadone_dose_may_be_under_each_limit()
    {
        // Day 1 = 30 mg; now is day 2: the step allows 40 mg, the week 60 mg, the stabilisation phase 60 mg; 15 mg given today.
        var first = Now.AddHours(-25);
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved, Given(Medication.Methadone, 30m, first, first: true),
            Given(Medication.Methadone, 15m, Now.AddMinutes(-30))]);
        var next = DetoxPlanView.Of(plan, Needs, Now).NextDose!;
        Assert.Equal((2, SchedulePhase.Stabilisation, first.AddHours(48), 25m), (next.CourseDay, next.Phase, next.CourseDayEndsAt, next.MaxWithoutOverrideMg));
        Assert.Equal([("methadone-titration-step", 40m, 15m, 25m), ("methadone-titration-weekly", 60m, 15m, 45m), ("dose-above-plan", 60m, 15m, 45m)],
            next.Limits.Select(l => (l.Rule, l.LimitMg, l.GivenMg, l.LeftMg)));
    }

    [Fact]
    public void Before_the_first_dose_the_next_dose_shows_the_first_day_limits()
    {
        var next = DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved]), Needs, Now).NextDose!;
        Assert.Equal((1, null, 30m), (next.CourseDay, next.CourseDayEndsAt, next.MaxWithoutOverrideMg));
        Assert.Equal(["methadone-first-dose-cap", "methadone-day-one-cap", "dose-above-plan"], next.Limits.Select(l => l.Rule));
    }

    [Fact]
    public void The_next_first_dose_lists_the_qtc_and_admission_it_needs()
    {
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved]);
        var next = DetoxPlanView.Of(plan, Needs with { Assessment = Assessment(qtcMs: 470, severity: "mild", criteria: 3) }, Now).NextFirstDose!;
        Assert.False(next.ReadyNow);
        Assert.Equal(["methadone-admission-justification-required", "methadone-qtc-acknowledgement-required"], next.Needs.Select(n => n.Rule));
    }

    [Fact]
    public void A_closed_plan_has_no_next_dose() =>
        Assert.Null(DetoxPlanView.Of(DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved,
            Given(Medication.Methadone, 20m, Now.AddDays(-1), first: true),
            new Recovery.Detox.Closing.DetoxCompleted(PlanId, PatientId, EpisodeId, Medication.Methadone, new DateOnly(2026, 11, 2), 2)]), Needs, Now).NextDose);
}
