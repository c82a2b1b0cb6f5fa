using Recovery.BuildingBlocks.Corrections;
using Recovery.Counseling.Corrections;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;

namespace Recovery.Counseling.Sessions;

public enum SessionStatus
{
    Scheduled,
    Attended,
    Missed,
    Cancelled,
}

/// <summary>
/// One individual counseling session of a patient at a clinic, from scheduling to attendance, no-show or
/// cancellation. Its state is folded from its events by <see cref="CounselingSessionEvolution.Evolve"/>.
/// </summary>
public sealed record CounselingSession
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public DateTimeOffset ScheduledFor { get; init; }
    public string CounselorId { get; init; } = "";
    public int? PlannedDurationMinutes { get; init; }
    public DateTimeOffset ScheduledAt { get; init; }
    public SessionStatus Status { get; init; }
    public DateTimeOffset? AttendedAt { get; init; }
    public int? DurationMinutes { get; init; }
    public Sealed? Note { get; init; }
    public DateTimeOffset? NoShowRecordedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public Sealed? CancellationReason { get; init; }

    /// <summary>The stream version of the event that recorded the outcome (attended, missed, cancelled), for corrections.</summary>
    public long OutcomeAtVersion { get; init; }

    /// <summary>How many events the session's stream holds, and the versions of facts corrected (each once).</summary>
    public long Version { get; init; }
    public IReadOnlyList<long> Corrected { get; init; } = [];
}

/// <summary>Folds a session's events into its state: a pure function, so decisions are tested without a database.</summary>
public static class CounselingSessionEvolution
{
    public static CounselingSession Evolve(CounselingSession? state, object @event)
    {
        var version = (state?.Version ?? 0) + 1;
        return Apply(state, @event, version) with { Version = version };
    }

    private static CounselingSession Apply(CounselingSession? state, object @event, long version) => @event switch
    {
        CounselingSessionScheduled e => new CounselingSession
        {
            Id = e.SessionId, PatientId = e.PatientId, ScheduledFor = e.ScheduledFor, CounselorId = e.CounselorId,
            PlannedDurationMinutes = e.PlannedDurationMinutes, ScheduledAt = e.ScheduledAt, Status = SessionStatus.Scheduled,
        },
        CounselingSessionAttended e => Existing(state) with
        {
            Status = SessionStatus.Attended, AttendedAt = e.AttendedAt, DurationMinutes = e.DurationMinutes, Note = e.Note,
            OutcomeAtVersion = version,
        },
        CounselingSessionMissed e => Existing(state) with
        {
            Status = SessionStatus.Missed, NoShowRecordedAt = e.RecordedAt, OutcomeAtVersion = version,
        },
        CounselingSessionCancelled e => Existing(state) with
        {
            Status = SessionStatus.Cancelled, CancelledAt = e.CancelledAt, CancellationReason = e.Reason, OutcomeAtVersion = version,
        },
        // The outcome entered in error: the session is as it was before it, scheduled.
        FactEnteredInError e when Existing(state).OutcomeAtVersion == e.FactVersion => Existing(state) with
        {
            Status = SessionStatus.Scheduled, AttendedAt = null, DurationMinutes = null, Note = null, NoShowRecordedAt = null, CancelledAt = null,
            CancellationReason = null, OutcomeAtVersion = 0, Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        AttendanceAmended e => Existing(state) with
        {
            AttendedAt = e.Replacement.AttendedAt, DurationMinutes = e.Replacement.DurationMinutes, Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        _ => Existing(state),
    };

    public static CounselingSession Fold(IEnumerable<object> events) =>
        events.Aggregate((CounselingSession?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static CounselingSession Existing(CounselingSession? state) =>
        state ?? throw new InvalidOperationException("A session event arrived before CounselingSessionScheduled.");
}

/// <summary>Keeps each session's current state as a document, in the same transaction as its events.</summary>
public sealed class CounselingSessionProjection : SingleStreamProjection<CounselingSession, Guid>
{
    public CounselingSessionProjection()
    {
        IncludeType<CounselingSessionScheduled>();
        IncludeType<CounselingSessionAttended>();
        IncludeType<CounselingSessionMissed>();
        IncludeType<CounselingSessionCancelled>();
        IncludeType<FactEnteredInError>();
        IncludeType<AttendanceAmended>();
    }

    public override CounselingSession Evolve(CounselingSession? snapshot, Guid id, IEvent e) =>
        CounselingSessionEvolution.Evolve(snapshot, e.Data);
}

/// <summary>Limits and refusals shared by the commands on a session.</summary>
public static class SessionRules
{
    /// <summary>Eight hours: longer is a mistyped duration, not a counseling session.</summary>
    public const int MaxDurationMinutes = 480;

    public const int MaxNoteLength = 4000;

    public static int? CheckDuration(FieldErrors errors, string field, int? minutes)
    {
        if (minutes is < 1 or > MaxDurationMinutes) errors.Add(field, $"must be between 1 and {MaxDurationMinutes} minutes");
        return minutes;
    }

    /// <summary>A session is attended, missed or cancelled once; after that it is closed.</summary>
    public static DomainError? MustBeOpen(CounselingSession session) => session.Status switch
    {
        SessionStatus.Attended or SessionStatus.Missed => DomainError.Conflict("session-already-closed",
            $"Session {session.Id} was already recorded as {Kebab.Of(session.Status)}.",
            new Dictionary<string, object?> { ["sessionId"] = session.Id, ["status"] = Kebab.Of(session.Status) }),
        SessionStatus.Cancelled => DomainError.Conflict("session-cancelled",
            $"Session {session.Id} was cancelled at {session.CancelledAt:O}.",
            new Dictionary<string, object?> { ["sessionId"] = session.Id, ["cancelledAt"] = session.CancelledAt }),
        _ => null,
    };
}
