using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using Recovery.Timeline.Recording;

namespace Recovery.Timeline.Analytics;

/// <summary>A COWS total and when it was scored (at assessment or during detox).</summary>
public sealed record CowsScore(DateTimeOffset ScoredAt, int Total);

/// <summary>A urine screen after detox, as relapse tracking judged it.</summary>
public sealed record ScreenResult(DateOnly CollectedOn, bool NonPrescribedOpioidPositive, bool NotCollected);

/// <summary>
/// One treatment episode reduced to the structured facts the outcome statistics need: no summaries, no free text.
/// Facts of one episode arrive from four services in no guaranteed order, so every field is order-independent
/// (earliest first dose, latest decision by when it was made).
/// </summary>
public sealed record EpisodeOutcome
{
    public Guid EpisodeId { get; init; }
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

    public DateOnly? DetoxStartedOn => FirstDoseAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : null;

    /// <summary>The medication a cohort is counted under: the plan's last, else the first dose's.</summary>
    public string? CohortMedication => Medication ?? InductionMedication;

    public static EpisodeOutcome Open(Guid episodeId, string clinicId) => new() { EpisodeId = episodeId, ClinicId = clinicId };

    public EpisodeOutcome Apply(IPatientEvent fact)
    {
        var episode = ObservedOn(fact) is { } day && day > LastObservedOn ? this with { LastObservedOn = day } : this;
        return fact switch
        {
            AssessmentStarted started => episode with { ClinicId = started.ClinicId },
            WithdrawalScored scored => episode.Scored(scored.ScoredAt, scored.Total),
            DetoxPlanDrafted drafted => episode.Chose(drafted.Medication, drafted.ClinicalTime()),
            MedicationSwitched switched => episode.Chose(switched.ToMedication, switched.ClinicalTime()),
            DetoxWithdrawalChecked check => episode.Scored(check.ScoredAt, check.Total).Seen(check.ScoredAt),
            DoseGiven dose => episode.Dosed(dose).Seen(dose.GivenAt),
            DetoxCompleted completed => (episode with { CompletedOn = completed.CompletedOn }).Seen(completed.CompletedOn),
            DetoxDroppedOut dropped => episode with { DroppedOutOn = dropped.DroppedOutOn },
            UrineScreenRecorded screen => episode.Screened(screen),
            CounselingSessionAttended attended => episode.Seen(attended.AttendedAt),
            HelpGroupMeetingAttended attended => episode.Seen(attended.MeetingOn),
            RelapseDetected relapse => episode.Decided(relapse.RelapsedOn, relapse.OccurredAt),
            RelapseRetracted retracted => episode.Decided(null, retracted.OccurredAt),
            ReturnedToTreatment returned => episode with { ReturnedOn = DateOnly.FromDateTime(returned.ClinicalTime().UtcDateTime) },
            _ => episode,
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

    private EpisodeOutcome Dosed(DoseGiven dose) =>
        dose.FirstDose && (FirstDoseAt is null || dose.GivenAt < FirstDoseAt)
            ? this with { FirstDoseAt = dose.GivenAt, InductionMedication = dose.Medication }
            : this;

    private EpisodeOutcome Scored(DateTimeOffset at, int total) =>
        this with { Cows = Cows.Append(new CowsScore(at, total)).OrderBy(c => c.ScoredAt).ToList() };

    private EpisodeOutcome Screened(UrineScreenRecorded screen)
    {
        var screened = this with
        {
            Screens = Screens.Append(new ScreenResult(screen.CollectedOn, screen.NonPrescribedOpioidPositive, screen.NotCollected))
                .OrderBy(s => s.CollectedOn).ToList(),
        };
        return screen.NotCollected ? screened : screened.Seen(screen.CollectedOn);
    }

    private EpisodeOutcome Decided(DateOnly? relapsedOn, DateTimeOffset at) =>
        RelapseDecidedAt is { } decided && decided > at ? this : this with { RelapsedOn = relapsedOn, RelapseDecidedAt = at };

    private EpisodeOutcome Seen(DateTimeOffset at) => Seen(DateOnly.FromDateTime(at.UtcDateTime));

    private EpisodeOutcome Seen(DateOnly day) =>
        Contacts.Contains(day) ? this : this with { Contacts = Contacts.Append(day).Order().ToList() };
}

/// <summary>
/// A patient's treatment episodes as structured facts, for the de-identified outcome statistics. The id is the patient's,
/// as for every document here; it never leaves the service (the statistics are aggregates).
/// </summary>
public sealed record PatientOutcomes
{
    public Guid Id { get; init; }
    public IReadOnlyList<EpisodeOutcome> Episodes { get; init; } = [];

    /// <summary>Facts outside an episode (registration) say nothing about outcomes.</summary>
    public static PatientOutcomes Record(PatientOutcomes? outcomes, Guid patientId, IPatientEvent fact)
    {
        outcomes ??= new PatientOutcomes { Id = patientId };
        if (fact.EpisodeId is not { } episodeId) return outcomes;
        var episodes = outcomes.Episodes.ToList();
        var at = episodes.FindIndex(e => e.EpisodeId == episodeId);
        var episode = (at >= 0 ? episodes[at] : EpisodeOutcome.Open(episodeId, fact.ClinicId)).Apply(fact);
        if (at >= 0) episodes[at] = episode;
        else episodes.Add(episode);
        return outcomes with { Episodes = episodes };
    }
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
        e.Data is IPatientEvent fact ? PatientOutcomes.Record(snapshot, id, fact) : snapshot ?? new PatientOutcomes { Id = id };
}
