using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Corrections.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using Recovery.Timeline.Recording;

namespace Recovery.Timeline.Analytics;

/// <summary>A COWS total and when it was scored (at assessment or during detox).</summary>
public sealed record CowsScore(DateTimeOffset ScoredAt, int Total);

/// <summary>A urine screen after detox, as relapse tracking judged it.</summary>
public sealed record ScreenResult(DateOnly CollectedOn, bool NonPrescribedOpioidPositive, bool NotCollected);

/// <summary>A first dose: when, and of which medication.</summary>
public sealed record FirstDose(DateTimeOffset GivenAt, string Medication);

/// <summary>
/// One fact's part in its episode's outcome, kept by the fact's event id so that a correction can take it out again: the day
/// it is about, whether the patient was seen, and the COWS total, screen or first dose it brought.
/// </summary>
public sealed record Observation(Guid FactId, DateOnly On, bool Contact = false, CowsScore? Cows = null, ScreenResult? Screen = null,
    FirstDose? FirstDose = null);

/// <summary>
/// One treatment episode reduced to the structured facts the outcome statistics need: no summaries, no free text.
/// Facts of one episode arrive from four services in no guaranteed order, so every field is order-independent
/// (earliest first dose, latest decision by when it was made). What a fact observed of the patient is kept per fact
/// (<see cref="Observations"/>), and the fields read from them are folded again when a correction takes one out.
/// </summary>
public sealed record EpisodeOutcome
{
    public Guid EpisodeId { get; init; }

    /// <summary>Whose episode it is: the small-cell rule counts patients, and one patient may have several episodes in a cell.</summary>
    public Guid PatientId { get; init; }

    public string ClinicId { get; init; } = "";

    /// <summary>The plan's medication: as drafted, then as last switched.</summary>
    public string? Medication { get; init; }
    public DateTimeOffset? MedicationChosenAt { get; init; }

    /// <summary>The first dose marks the start of detox (induction); a switch's new induction does not restart it.</summary>
    public DateTimeOffset? FirstDoseAt { get; init; }
    public string? InductionMedication { get; init; }

    public DateOnly? CompletedOn { get; init; }
    public DateOnly? DroppedOutOn { get; init; }
    public IReadOnlyList<CowsScore> Cows { get; init; } = [];
    public IReadOnlyList<ScreenResult> Screens { get; init; } = [];

    /// <summary>Days the patient was seen (dose, COWS check, collected screen, attended session or group, completion), ascending.</summary>
    public IReadOnlyList<DateOnly> Contacts { get; init; } = [];

    /// <summary>The relapse as last decided (a retraction clears it).</summary>
    public DateOnly? RelapsedOn { get; init; }
    public DateTimeOffset? RelapseDecidedAt { get; init; }

    public DateOnly? ReturnedOn { get; init; }

    /// <summary>The latest day anything was observed in the episode: where censoring happens for a patient still followed.</summary>
    public DateOnly LastObservedOn { get; init; }

    /// <summary>Each fact's part in the fields above, by its event id (facts entered in error or amended are not here).</summary>
    public IReadOnlyList<Observation> Observations { get; init; } = [];

    public DateOnly? DetoxStartedOn => FirstDoseAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : null;

    /// <summary>The medication a cohort is counted under: the plan's last, else the first dose's.</summary>
    public string? CohortMedication => Medication ?? InductionMedication;

    public static EpisodeOutcome Open(Guid episodeId, string clinicId) => new() { EpisodeId = episodeId, ClinicId = clinicId };

    /// <summary>Folds a fact in, once: a fact seen again (its event id observed already) changes nothing.</summary>
    public EpisodeOutcome Apply(Guid factId, IPatientEvent fact)
    {
        if (Observations.Any(o => o.FactId == factId)) return this;
        var episode = (this with { Observations = [.. Observations, Observe(factId, fact)] }).Refolded();
        return fact switch
        {
            AssessmentStarted started => episode with { ClinicId = started.ClinicId },
            DetoxPlanDrafted drafted => episode.Chose(drafted.Medication, drafted.ClinicalTime()),
            MedicationSwitched switched => episode.Chose(switched.ToMedication, switched.ClinicalTime()),
            DetoxCompleted completed => episode with { CompletedOn = completed.CompletedOn },
            DetoxDroppedOut dropped => episode with { DroppedOutOn = dropped.DroppedOutOn },
            RelapseDetected relapse => episode.Decided(relapse.RelapsedOn, relapse.OccurredAt),
            RelapseRetracted retracted => episode.Decided(null, retracted.OccurredAt),
            ReturnedToTreatment returned => episode with { ReturnedOn = DateOnly.FromDateTime(returned.ClinicalTime().UtcDateTime) },
            _ => episode,
        };
    }

    /// <summary>The episode as if the fact had not been recorded (it was entered in error, or an amendment replaced it).</summary>
    public EpisodeOutcome Without(Guid factId) =>
        Observations.Any(o => o.FactId == factId)
            ? (this with { Observations = Observations.Where(o => o.FactId != factId).ToList() }).Refolded()
            : this;

    /// <summary>
    /// Seen: a dose, a COWS check in detox, the completion, a collected screen, an attended session or group meeting. The
    /// plan's decisions (medication, completion, dropout) and relapse tracking's are not corrected here: the services that
    /// made them decide again and publish the new decision.
    /// </summary>
    private static Observation Observe(Guid factId, IPatientEvent fact)
    {
        var on = ObservedOn(fact);
        return fact switch
        {
            WithdrawalScored scored => new(factId, on, Cows: new CowsScore(scored.ScoredAt, scored.Total)),
            DetoxWithdrawalChecked check => new(factId, on, Contact: true, Cows: new CowsScore(check.ScoredAt, check.Total)),
            DoseGiven dose => new(factId, on, Contact: true, FirstDose: dose.FirstDose ? new FirstDose(dose.GivenAt, dose.Medication) : null),
            DetoxCompleted => new(factId, on, Contact: true),
            UrineScreenRecorded screen => new(factId, on, Contact: !screen.NotCollected,
                Screen: new ScreenResult(screen.CollectedOn, screen.NonPrescribedOpioidPositive, screen.NotCollected)),
            CounselingSessionAttended or HelpGroupMeetingAttended => new(factId, on, Contact: true),
            _ => new(factId, on),
        };
    }

    /// <summary>The fields that follow from the observations in force; ties keep the order the facts arrived in.</summary>
    private EpisodeOutcome Refolded()
    {
        var firstDose = Observations.Select(o => o.FirstDose).OfType<FirstDose>().MinBy(d => d.GivenAt);
        return this with
        {
            FirstDoseAt = firstDose?.GivenAt,
            InductionMedication = firstDose?.Medication,
            Cows = Observations.Select(o => o.Cows).OfType<CowsScore>().OrderBy(c => c.ScoredAt).ToList(),
            Screens = Observations.Select(o => o.Screen).OfType<ScreenResult>().OrderBy(c => c.CollectedOn).ToList(),
            Contacts = Observations.Where(o => o.Contact).Select(o => o.On).Distinct().Order().ToList(),
            LastObservedOn = Observations.Count == 0 ? default : Observations.Max(o => o.On),
        };
    }

    /// <summary>The day a fact is about: its clinical date (the fact's own date, else its clinical time).</summary>
    public static DateOnly ObservedOn(IPatientEvent fact)
    {
        DateTimeOffset? at = fact switch
        {
            WithdrawalScored f => f.ScoredAt,
            DetoxWithdrawalChecked f => f.ScoredAt,
            DoseGiven f => f.GivenAt,
            CounselingSessionAttended f => f.AttendedAt,
            _ => null,
        };
        if (at is { } moment) return DateOnly.FromDateTime(moment.UtcDateTime);
        return fact switch
        {
            DetoxCompleted f => f.CompletedOn,
            DetoxDroppedOut f => f.DroppedOutOn,
            DoseMissed f => f.MissedOn,
            MonitoringStarted f => f.StartedOn,
            UrineScreenRecorded f => f.CollectedOn,
            UseSelfReported f => f.UsedOn,
            VisitMissed f => f.MissedOn,
            RelapseDetected f => f.RelapsedOn,
            HelpGroupMeetingAttended f => f.MeetingOn,
            LabResultRecorded f => f.TestedOn,
            _ => DateOnly.FromDateTime(fact.ClinicalTime().UtcDateTime),
        };
    }

    private EpisodeOutcome Chose(string medication, DateTimeOffset at) =>
        MedicationChosenAt is { } chosen && chosen > at ? this : this with { Medication = medication, MedicationChosenAt = at };

    private EpisodeOutcome Decided(DateOnly? relapsedOn, DateTimeOffset at) =>
        RelapseDecidedAt is { } decided && decided > at ? this : this with { RelapsedOn = relapsedOn, RelapseDecidedAt = at };
}

/// <summary>
/// A patient's treatment episodes as structured facts, for the de-identified outcome statistics. The id is the patient's,
/// as for every document here; it never leaves the service (the statistics are aggregates).
/// </summary>
public sealed record PatientOutcomes
{
    public Guid Id { get; init; }
    public IReadOnlyList<EpisodeOutcome> Episodes { get; init; } = [];

    /// <summary>
    /// Facts marked entered in error or replaced by an amendment (by event id): taken out of their episode, and not folded in if
    /// they arrive after their correction.
    /// </summary>
    public IReadOnlyList<Guid> Struck { get; init; } = [];

    /// <summary>
    /// Folds one fact (<paramref name="factId"/> is its event id, the message id). A correction is no fact of care: it strikes
    /// the fact it names, and an amendment stands in place of the fact it amends. Facts outside an episode (registration) say
    /// nothing about outcomes.
    /// </summary>
    public static PatientOutcomes Record(PatientOutcomes? outcomes, Guid patientId, Guid factId, IPatientEvent fact)
    {
        outcomes ??= new PatientOutcomes { Id = patientId };
        if (outcomes.Struck.Contains(factId)) return outcomes;
        if (fact is FactEnteredInError error) return outcomes.Strike(error.EnteredInErrorEventId);
        // A wrong link: the clinic's episodes until now were another person's.
        if (fact is Recovery.Contracts.Assessment.V1.RegistrationEnteredInError unlinked)
            return outcomes with { Episodes = outcomes.Episodes.Where(e => e.ClinicId != unlinked.ClinicId).ToList() };
        if (fact.Amends is { } amended) outcomes = outcomes.Strike(amended);
        if (fact.EpisodeId is not { } episodeId) return outcomes;
        var episodes = outcomes.Episodes.ToList();
        var at = episodes.FindIndex(e => e.EpisodeId == episodeId);
        var episode = (at >= 0 ? episodes[at] : EpisodeOutcome.Open(episodeId, fact.ClinicId)).Apply(factId, fact) with { PatientId = patientId };
        if (at >= 0) episodes[at] = episode;
        else episodes.Add(episode);
        return outcomes with { Episodes = episodes };
    }

    private PatientOutcomes Strike(Guid factId) =>
        Struck.Contains(factId) ? this : this with { Struck = [.. Struck, factId], Episodes = Episodes.Select(e => e.Without(factId)).ToList() };
}

/// <summary>
/// Builds each patient's outcome facts from the patient's stream. Async (by the daemon, which runs for the forwarder):
/// analysts can wait the fraction of a second it lags, the recording transaction should not carry a third projection,
/// and an async projection rebuilds without holding up recording.
/// </summary>
public sealed class PatientOutcomesProjection : SingleStreamProjection<PatientOutcomes, Guid>
{
    /// <summary>Its name to the daemon (progress, rebuilds).</summary>
    public const string ProjectionName = "PatientOutcomes";

    public PatientOutcomesProjection()
    {
        Name = ProjectionName;
        foreach (var type in PatientEvents.All) IncludeType(type);
    }

    public override PatientOutcomes Evolve(PatientOutcomes? snapshot, Guid id, IEvent e) =>
        e.Data is IPatientEvent fact ? PatientOutcomes.Record(snapshot, id, e.Id, fact) : snapshot ?? new PatientOutcomes { Id = id };

    /// <summary>
    /// The patient's episode cohorts, written in the same batch as the outcomes they come from (storing one again with the same
    /// values changes nothing). The daemon raises no side effects in a rebuild: <see cref="EpisodeCohorts.Refresh"/> follows one.
    /// </summary>
    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<PatientOutcomes> slice)
    {
        if (slice.Snapshot is { } outcomes) EpisodeCohorts.Store(operations, outcomes);
        return ValueTask.CompletedTask;
    }
}
