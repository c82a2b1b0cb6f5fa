using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.Clinical;
using Recovery.Contracts;
using Recovery.Timeline.Recording;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>One fact on a patient's timeline; <see cref="RecordedBy"/> is who recorded it (null when the platform derived it).</summary>
public sealed record TimelineEntry(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string ClinicId,
    string Service,
    string Kind,
    string Summary,
    Guid? EpisodeId,
    Recorder? RecordedBy = null);

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
        if (timeline.Entries.Any(e => e.EventId == eventId)) return timeline;
        var entry = new TimelineEntry(eventId, fact.OccurredAt, fact.ClinicId, ServiceOf(fact), Kebab.Of(fact.GetType().Name),
            TimelineSummaries.Describe(fact), fact.EpisodeId, fact.RecordedBy);
        // Facts from different services can arrive out of order: place each by when it happened.
        var at = timeline.Entries.Count;
        while (at > 0 && timeline.Entries[at - 1].OccurredAt > entry.OccurredAt) at--;
        var entries = timeline.Entries.ToList();
        entries.Insert(at, entry);
        return fact is Recovery.Contracts.Assessment.V1.PatientRegistered registered
            ? timeline with { Entries = entries, Sex = registered.Sex, BirthYear = registered.BirthYear }
            : timeline with { Entries = entries };
    }

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
