using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Marten.Patching;
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
}

/// <summary>
/// How an entry was corrected by its clinic: <c>entered-in-error</c> (treat it as never recorded) or <c>amended</c> (the entry
/// <see cref="ByEventId"/> holds the corrected values); when it was recorded and by whom. The entry itself stays, struck through.
/// </summary>
public sealed record EntryCorrection(string Kind, DateTimeOffset RecordedAt, Recorder? RecordedBy, Guid ByEventId);

/// <summary>
/// One entry as the timeline stores it: a small document of its own, keyed by the event id, so recording a fact appends one
/// row and a correction marks one row, whatever the length of the journey. <see cref="PatientId"/>, <see cref="ClinicId"/>,
/// <see cref="EpisodeId"/>, <see cref="ClinicalAt"/> and <see cref="RecordedAt"/> are columns too (reads filter, order
/// and page by them); their times are kept to the microsecond, as PostgreSQL keeps them, so a cursor names a row exactly (the
/// entry keeps the exact instants).
/// A registration carries what analysts may know of the person (sex, birth year for an age band).
/// </summary>
public sealed record StoredEntry
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicId { get; init; } = "";
    public Guid? EpisodeId { get; init; }
    public DateTimeOffset ClinicalAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public TimelineEntry Entry { get; init; } = null!;
    public string? Sex { get; init; }
    public int? BirthYear { get; init; }

    /// <summary>PostgreSQL keeps microseconds; .NET ticks are a tenth of that.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}

/// <summary>
/// What one recorded fact changes on the timeline: an entry appended, and/or one earlier entry marked corrected, or every entry
/// one clinic recorded until then dropped (<see cref="Dropped"/>).
/// </summary>
public sealed record TimelineChange(StoredEntry? Appended, Guid? Marked, EntryCorrection? Correction, DroppedEntries? Dropped = null);

/// <summary>A clinic's entries of the patient recorded until <see cref="RecordedUntil"/> (inclusive), to be dropped.</summary>
public sealed record DroppedEntries(string ClinicId, DateTimeOffset RecordedUntil);

/// <summary>A patient's network record: every fact from every clinic and service, one stored entry each.</summary>
public static class PatientTimeline
{
    /// <summary>
    /// The change a fact makes. A correction marks the entry it names and is not a fact of care of its own; an amendment marks
    /// the entry it replaces and is appended with the corrected values. A registration entered in error drops the clinic's
    /// entries recorded until then. Applying a change twice leaves the same rows.
    /// </summary>
    public static TimelineChange Record(Guid patientId, Guid eventId, IPatientEvent fact)
    {
        if (fact is Recovery.Contracts.Corrections.V1.FactEnteredInError error)
            return new(null, error.EnteredInErrorEventId, new EntryCorrection("entered-in-error", fact.OccurredAt, fact.RecordedBy, eventId));
        // A wrong link: what the clinic recorded under it is another person's, so it leaves this record altogether (not struck
        // through, which would still show another person's registration, and that they were treated there). Nothing is appended.
        if (fact is Recovery.Contracts.Assessment.V1.RegistrationEnteredInError unlinked)
            return new(null, null, null, new DroppedEntries(unlinked.ClinicId, StoredEntry.ToMicroseconds(unlinked.OccurredAt)));
        var recordedAt = StoredEntry.ToMicroseconds(fact.OccurredAt);
        var clinicalAt = StoredEntry.ToMicroseconds(fact.ClinicalTime());
        var entry = new TimelineEntry(eventId, fact.OccurredAt, fact.ClinicId, ServiceOf(fact), Kebab.Of(fact.GetType().Name),
            TimelineSummaries.Describe(fact), fact.EpisodeId, fact.RecordedBy, fact.ClinicalTime(), MedicationOf(fact));
        var registered = fact as Recovery.Contracts.Assessment.V1.PatientRegistered;
        var stored = new StoredEntry
        {
            Id = eventId, PatientId = patientId, ClinicId = fact.ClinicId, EpisodeId = fact.EpisodeId, ClinicalAt = clinicalAt, RecordedAt = recordedAt,
            Entry = entry, Sex = registered?.Sex, BirthYear = registered?.BirthYear,
        };
        return fact.Amends is { } amended
            ? new(stored, amended, new EntryCorrection("amended", fact.OccurredAt, fact.RecordedBy, eventId))
            : new(stored, null, null);
    }

    /// <summary>The timeline's order, as the store sorts it: clinical time, then recorded time, then the event id (any tie broken the same way every time).</summary>
    public static IEnumerable<StoredEntry> InRecordOrder(IEnumerable<StoredEntry> entries) =>
        entries.OrderBy(e => e.ClinicalAt).ThenBy(e => e.RecordedAt).ThenBy(e => e.Id);

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

/// <summary>
/// Records each fact on the patient's timeline in the same transaction as the recorded event: one stored entry appended, or
/// one entry marked corrected. Nothing about the rest of the journey is read or rewritten, so a fact costs the same at the
/// tenth entry and the ten-thousandth; a rebuild writes each entry once.
/// </summary>
public sealed partial class PatientTimelineProjection : EventProjection
{
    /// <summary>Its name to the daemon (rebuilds, progress).</summary>
    public const string ProjectionName = "PatientTimeline";

    public PatientTimelineProjection()
    {
        Name = ProjectionName;
        foreach (var type in PatientEvents.All) IncludeType(type);
        // Published, so a rebuild starts from no entries.
        RegisterPublishedType(typeof(StoredEntry));
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is not IPatientEvent fact) return ValueTask.CompletedTask;
        var change = PatientTimeline.Record(e.StreamId, e.Id, fact);
        // Stored by the event id: a fact applied again overwrites its own entry with the same values.
        if (change.Appended is { } entry)
        {
            operations.Store(entry);
            // The patient's journey is known at the clinic (no write when it was already).
            operations.QueueSqlCommand(TimelineStorage.JourneyClinicInsert(operations.DocumentStore.Options.DatabaseSchemaName), entry.PatientId, entry.ClinicId);
        }
        if (change.Marked is { } marked)
            operations.Patch<StoredEntry>(marked).Set(s => s.Entry.Correction, change.Correction);
        if (change.Dropped is { } dropped)
            operations.DeleteWhere<StoredEntry>(s => s.PatientId == e.StreamId && s.ClinicId == dropped.ClinicId && s.RecordedAt <= dropped.RecordedUntil);
        return ValueTask.CompletedTask;
    }
}
