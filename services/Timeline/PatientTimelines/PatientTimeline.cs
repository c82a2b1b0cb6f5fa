using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.Clinical;
using Recovery.Contracts;
using Recovery.Timeline.Recording;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>
/// One fact on a patient's timeline: when it happened clinically (<see cref="EffectiveAt"/>), when it was recorded
/// (<see cref="RecordedAt"/>; <see cref="OccurredAt"/> is the same instant under its first name) and by whom
/// (<see cref="RecordedBy"/>, null when the platform derived it). <see cref="Medication"/> names the medication of a detox
/// fact, for the episode's label.
/// </summary>
public sealed record TimelineEntry(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string ClinicId,
    string Service,
    string Kind,
    string Summary,
    Guid? EpisodeId,
    Recorder? RecordedBy = null,
    DateTimeOffset? EffectiveAt = null,
    string? Medication = null,
    EntryCorrection? Correction = null)
{
    public DateTimeOffset RecordedAt => OccurredAt;

    /// <summary>The order of the record: clinical time, then recorded time for facts that happened at the same moment.</summary>
    public static int InRecordOrder(TimelineEntry a, TimelineEntry b) =>
        (a.EffectiveAt ?? a.OccurredAt).CompareTo(b.EffectiveAt ?? b.OccurredAt) is var byClinical and not 0
            ? byClinical
            : a.OccurredAt.CompareTo(b.OccurredAt);
}

/// <summary>
/// How an entry was corrected by its clinic: <c>entered-in-error</c> (treat it as never recorded) or <c>amended</c> (the entry
/// <see cref="ByEventId"/> holds the corrected values); when it was recorded and by whom. The entry itself stays, struck through.
/// </summary>
public sealed record EntryCorrection(string Kind, DateTimeOffset RecordedAt, Recorder? RecordedBy, Guid ByEventId);

/// <summary>A patient's network record: every fact from every clinic and service, in the order it happened.</summary>
public sealed record PatientTimeline
{
    public Guid Id { get; init; }
    public IReadOnlyList<TimelineEntry> Entries { get; init; } = [];

    /// <summary>From the latest registration: what analysts may know of the person (sex, and birth year for an age band).</summary>
    public string? Sex { get; init; }
    public int? BirthYear { get; init; }

    public static PatientTimeline Record(PatientTimeline? timeline, Guid patientId, Guid eventId, IPatientEvent fact)
    {
        timeline ??= new PatientTimeline { Id = patientId };
        if (timeline.Entries.Any(e => e.EventId == eventId || e.Correction?.ByEventId == eventId)) return timeline;
        // A correction marks the entry it names; it is not a fact of care of its own.
        if (fact is Recovery.Contracts.Corrections.V1.FactEnteredInError error)
            return Mark(timeline, error.EnteredInErrorEventId, new EntryCorrection("entered-in-error", fact.OccurredAt, fact.RecordedBy, eventId));
        if (fact.Amends is { } amended)
            timeline = Mark(timeline, amended, new EntryCorrection("amended", fact.OccurredAt, fact.RecordedBy, eventId));
        var entry = new TimelineEntry(eventId, fact.OccurredAt, fact.ClinicId, ServiceOf(fact), Kebab.Of(fact.GetType().Name),
            TimelineSummaries.Describe(fact), fact.EpisodeId, fact.RecordedBy, fact.ClinicalTime(), MedicationOf(fact));
        // Facts arrive out of order (other services, entered late): place each by when it happened clinically.
        var at = timeline.Entries.Count;
        while (at > 0 && TimelineEntry.InRecordOrder(timeline.Entries[at - 1], entry) > 0) at--;
        var entries = timeline.Entries.ToList();
        entries.Insert(at, entry);
        return fact is Recovery.Contracts.Assessment.V1.PatientRegistered registered
            ? timeline with { Entries = entries, Sex = registered.Sex, BirthYear = registered.BirthYear }
            : timeline with { Entries = entries };
    }

    private static PatientTimeline Mark(PatientTimeline timeline, Guid entryId, EntryCorrection correction) =>
        timeline with { Entries = timeline.Entries.Select(e => e.EventId == entryId ? e with { Correction = correction } : e).ToList() };

    private static string? MedicationOf(IPatientEvent fact) => fact switch
    {
        Recovery.Contracts.Detox.V1.DetoxPlanDrafted d => d.Medication,
        Recovery.Contracts.Detox.V1.MedicationSwitched s => s.ToMedication,
        _ => null,
    };

    /// <summary>Recovery.Contracts.Assessment.V1 → "assessment".</summary>
    private static string ServiceOf(IPatientEvent fact) =>
        fact.GetType().Namespace?.Split('.') is [_, _, var service, ..] ? Kebab.Of(service) : "unknown";
}

/// <summary>Builds each patient's timeline document in the same transaction as the recorded event.</summary>
public sealed class PatientTimelineProjection : SingleStreamProjection<PatientTimeline, Guid>
{
    /// <summary>Its name to the daemon (rebuilds, progress).</summary>
    public const string ProjectionName = "PatientTimeline";

    public PatientTimelineProjection()
    {
        Name = ProjectionName;
        foreach (var type in PatientEvents.All) IncludeType(type);
    }

    public override PatientTimeline Evolve(PatientTimeline? snapshot, Guid id, IEvent e) =>
        e.Data is IPatientEvent fact ? PatientTimeline.Record(snapshot, id, e.Id, fact) : snapshot ?? new PatientTimeline { Id = id };
}
