using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Corrections.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using Recovery.Timeline.Analytics;

namespace Recovery.Timeline.Tests;

/// <summary>The outcome read model folds a patient's facts into structured episode facts, whatever order the services' facts arrive in.</summary>
public class PatientOutcomesTests
{
    private static readonly Guid Patient = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    private static readonly Guid First = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly Guid Second = Guid.Parse("0190a000-0000-7000-8000-000000000002");
    private static readonly Guid Plan = Guid.NewGuid();
    private static readonly Guid Monitoring = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, int> NoItems = new Dictionary<string, int>();

    private static PatientOutcomes Fold(params IPatientEvent[] facts) => Fold(facts.Select(f => (Guid.NewGuid(), f)).ToArray());

    /// <summary>Facts with the event ids a correction names them by.</summary>
    private static PatientOutcomes Fold(params (Guid Id, IPatientEvent Fact)[] facts) =>
        facts.Aggregate((PatientOutcomes?)null, (outcomes, f) => PatientOutcomes.Record(outcomes, Patient, f.Id, f.Fact))!;

    private static FactEnteredInError EnteredInError(Guid eventId, string kind) =>
        new(Patient, "clinic-north", First, Start.AddDays(60), eventId, kind);

    private static UrineScreenRecorded Screen(DateOnly on, bool positive, bool notCollected = false) =>
        new(Patient, "clinic-north", First, Start.AddDays(20), Monitoring, on, new Dictionary<string, string>(), positive, notCollected);

    private static DoseGiven Dose(DateTimeOffset at, string medication, bool first) =>
        new(Patient, "clinic-north", First, at.AddMinutes(1), Plan, medication, 8, at, "nurse", first, false);

    [Fact]
    public void A_registration_entered_in_error_takes_that_clinics_episodes_out_and_leaves_the_others()
    {
        var outcomes = Fold(
            new AssessmentStarted(Patient, "clinic-north", First, Start, First),
            new AssessmentStarted(Patient, "clinic-south", Second, Start.AddDays(1), Second),
            new RegistrationEnteredInError(Patient, "clinic-south", null, Start.AddDays(2), Guid.NewGuid(), Guid.NewGuid()));
        Assert.Equal([First], outcomes.Episodes.Select(e => e.EpisodeId));
    }

    [Fact]
    public void An_episode_collects_its_medication_detox_start_end_cows_screens_and_contacts_from_facts_out_of_order()
    {
        var outcomes = Fold(
            new PatientRegistered(Patient, "clinic-north", null, Start.AddDays(-1), Guid.NewGuid(), "female", 1987),
            // The detox service's completion arrives before the doses it followed.
            new DetoxCompleted(Patient, "clinic-north", First, Start.AddDays(10), Plan, "methadone", new DateOnly(2026, 3, 12), 10),
            new WithdrawalScored(Patient, "clinic-north", First, Start.AddDays(-1), Guid.NewGuid(), Start.AddHours(-20), NoItems, 14, "moderate"),
            new AssessmentStarted(Patient, "clinic-north", First, Start.AddDays(-2), First),
            new MedicationSwitched(Patient, "clinic-north", First, Start.AddDays(3), Plan, "buprenorphine", "methadone", []),
            // Drafted before the switch, recorded after it: the switch still stands.
            new DetoxPlanDrafted(Patient, "clinic-north", First, Start.AddDays(-1), Plan, "buprenorphine", [], "dr-ada"),
            // The switch's new induction (a later first dose) does not move the detox start.
            Dose(Start.AddDays(3), "methadone", first: true),
            Dose(Start, "buprenorphine", first: true),
            Dose(Start.AddDays(1), "buprenorphine", first: false),
            new DetoxWithdrawalChecked(Patient, "clinic-north", First, Start.AddHours(2), Plan, Start.AddHours(1), NoItems, 6, "mild"),
            new UrineScreenRecorded(Patient, "clinic-north", First, Start.AddDays(20), Monitoring, new DateOnly(2026, 3, 19),
                new Dictionary<string, string>(), NonPrescribedOpioidPositive: true, NotCollected: false),
            new UrineScreenRecorded(Patient, "clinic-north", First, Start.AddDays(27), Monitoring, new DateOnly(2026, 3, 26),
                new Dictionary<string, string>(), NonPrescribedOpioidPositive: false, NotCollected: true),
            new CounselingSessionAttended(Patient, "clinic-north", First, Start.AddDays(5), Guid.NewGuid(), Start.AddDays(5), 45),
            new VisitMissed(Patient, "clinic-north", First, Start.AddDays(40), Monitoring, "dose", new DateOnly(2026, 4, 2)));

        var episode = Assert.Single(outcomes.Episodes);
        Assert.Equal(Patient, outcomes.Id);
        Assert.Equal(First, episode.EpisodeId);
        Assert.Equal("clinic-north", episode.ClinicId);
        Assert.Equal("methadone", episode.Medication);
        Assert.Equal(Start, episode.FirstDoseAt);
        Assert.Equal("buprenorphine", episode.InductionMedication);
        Assert.Equal(new DateOnly(2026, 3, 2), episode.DetoxStartedOn);
        Assert.Equal(new DateOnly(2026, 3, 12), episode.CompletedOn);
        Assert.Equal([new CowsScore(Start.AddHours(-20), 14), new CowsScore(Start.AddHours(1), 6)], episode.Cows);
        Assert.Equal([new ScreenResult(new DateOnly(2026, 3, 19), true, false), new ScreenResult(new DateOnly(2026, 3, 26), false, true)],
            episode.Screens);
        // Seen: doses on 2, 3 and 5 March, the COWS check on the 2nd, counseling on the 7th, completion on the 12th, the collected
        // screen on the 19th; not the screen that was not collected, nor the missed visit.
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 5),
            new DateOnly(2026, 3, 7), new DateOnly(2026, 3, 12), new DateOnly(2026, 3, 19)], episode.Contacts);
        // The last thing observed is the missed visit on 2 April.
        Assert.Equal(new DateOnly(2026, 4, 2), episode.LastObservedOn);
    }

    [Fact]
    public void A_retracted_relapse_is_no_relapse_and_a_later_detection_counts_again()
    {
        RelapseDetected Detected(int day) =>
            new(Patient, "clinic-north", First, Start.AddDays(day), Monitoring, "ctn-0094-return-to-use@1", new DateOnly(2026, 4, 1).AddDays(day), "screens");
        var retracted = new RelapseRetracted(Patient, "clinic-north", First, Start.AddDays(31), Monitoring, "ctn-0094-return-to-use@1",
            "any-positive-after-detox@1");

        Assert.Null(Fold(Detected(30), retracted).Episodes[0].RelapsedOn);
        // The retraction recorded before the detection it retracted arrived late: the later decision (the retraction) stands.
        Assert.Null(Fold(retracted, Detected(30)).Episodes[0].RelapsedOn);
        Assert.Equal(new DateOnly(2026, 4, 1).AddDays(40), Fold(Detected(30), retracted, Detected(40)).Episodes[0].RelapsedOn);
    }

    [Fact]
    public void A_return_to_treatment_closes_the_first_episode_and_the_new_assessment_opens_a_second_at_its_clinic()
    {
        var outcomes = Fold(
            new DetoxPlanDrafted(Patient, "clinic-north", First, Start, Plan, "buprenorphine", [], "dr-ada"),
            new ReturnedToTreatment(Patient, "clinic-north", First, new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), Monitoring, Second,
                "clinic-south"),
            new AssessmentStarted(Patient, "clinic-south", Second, new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), Second));

        Assert.Equal([(First, "clinic-north"), (Second, "clinic-south")], outcomes.Episodes.Select(e => (e.EpisodeId, e.ClinicId)));
        Assert.Equal(new DateOnly(2026, 6, 1), outcomes.Episodes[0].ReturnedOn);
        Assert.Null(outcomes.Episodes[1].DetoxStartedOn);
    }

    [Fact]
    public void Facts_entered_in_error_leave_the_episode_as_if_never_recorded_and_the_correction_observes_nothing()
    {
        Guid firstDose = Guid.NewGuid(), cows = Guid.NewGuid(), screen = Guid.NewGuid(), session = Guid.NewGuid();
        (Guid, IPatientEvent)[] recorded =
        [
            (firstDose, Dose(Start, "buprenorphine", first: true)),
            (Guid.NewGuid(), Dose(Start.AddDays(1), "methadone", first: true)),
            (cows, new DetoxWithdrawalChecked(Patient, "clinic-north", First, Start.AddHours(2), Plan, Start.AddHours(1), NoItems, 6, "mild")),
            (Guid.NewGuid(), Screen(new DateOnly(2026, 3, 19), positive: false)),
            (screen, Screen(new DateOnly(2026, 3, 26), positive: true)),
            (session, new CounselingSessionAttended(Patient, "clinic-north", First, Start.AddDays(28), Guid.NewGuid(), Start.AddDays(28), 45)),
        ];
        var before = Assert.Single(Fold(recorded).Episodes);
        Assert.Equal((Start, new DateOnly(2026, 3, 30)), (before.FirstDoseAt!.Value, before.LastObservedOn));

        var episode = Assert.Single(Fold([.. recorded, (Guid.NewGuid(), EnteredInError(firstDose, "dose-given")),
            (Guid.NewGuid(), EnteredInError(cows, "detox-withdrawal-checked")), (Guid.NewGuid(), EnteredInError(screen, "urine-screen-recorded")),
            (Guid.NewGuid(), EnteredInError(session, "counseling-session-attended"))]).Episodes);

        // The detox started with the next first dose; no COWS, only the negative screen; seen on the 3rd and the 19th only.
        Assert.Equal((Start.AddDays(1), "methadone"), (episode.FirstDoseAt!.Value, episode.InductionMedication));
        Assert.Empty(episode.Cows);
        Assert.Equal([new ScreenResult(new DateOnly(2026, 3, 19), false, false)], episode.Screens);
        Assert.Equal([new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 19)], episode.Contacts);
        // Last observed: the screen on the 19th, not the session struck on the 30th nor the corrections made in May.
        Assert.Equal(new DateOnly(2026, 3, 19), episode.LastObservedOn);
    }

    [Fact]
    public void An_amendment_replaces_the_fact_it_amends_in_whichever_order_the_two_arrive()
    {
        var original = Guid.NewGuid();
        var positive = Screen(new DateOnly(2026, 3, 19), positive: true);
        var amendment = Screen(new DateOnly(2026, 3, 19), positive: false) with { Amends = original };
        var expected = new ScreenResult(new DateOnly(2026, 3, 19), false, false);

        Assert.Equal([expected], Assert.Single(Fold((original, positive), (Guid.NewGuid(), amendment)).Episodes).Screens);
        Assert.Equal([expected], Assert.Single(Fold((Guid.NewGuid(), amendment), (original, positive)).Episodes).Screens);
        // A fact struck before it arrives is not folded in late either.
        var screen = Guid.NewGuid();
        Assert.Empty(Assert.Single(Fold((Guid.NewGuid(), Dose(Start, "methadone", first: true)),
            (Guid.NewGuid(), EnteredInError(screen, "urine-screen-recorded")), (screen, positive)).Episodes).Screens);
    }

    [Fact]
    public void A_fact_or_a_correction_seen_twice_changes_nothing()
    {
        var dose = Guid.NewGuid();
        var correction = Guid.NewGuid();
        var once = Fold((dose, Dose(Start, "methadone", first: true)), (Guid.NewGuid(), Dose(Start.AddDays(1), "methadone", first: false)));
        var twice = Fold((dose, Dose(Start, "methadone", first: true)), (dose, Dose(Start, "methadone", first: true)),
            (Guid.NewGuid(), Dose(Start.AddDays(1), "methadone", first: false)));
        Assert.Equal(once.Episodes[0].Contacts, twice.Episodes[0].Contacts);
        Assert.Single(twice.Episodes[0].Observations, o => o.FactId == dose);

        var corrected = Fold((dose, Dose(Start, "methadone", first: true)), (correction, EnteredInError(dose, "dose-given")),
            (correction, EnteredInError(dose, "dose-given")));
        Assert.Equal([dose], corrected.Struck);
        Assert.Null(corrected.Episodes[0].FirstDoseAt);
    }
}
