using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.Sessions;

/// <summary>A session as the API shows it to the clinic's staff, note included.</summary>
public sealed record SessionView(
    Guid SessionId,
    Guid PatientId,
    SessionStatus Status,
    DateTimeOffset ScheduledFor,
    string CounselorId,
    int? PlannedDurationMinutes,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? AttendedAt,
    int? DurationMinutes,
    string? Note,
    DateTimeOffset? NoShowRecordedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason)
{
    public static SessionView Of(CounselingSession s) => new(s.Id, s.PatientId, s.Status, s.ScheduledFor, s.CounselorId,
        s.PlannedDurationMinutes, s.ScheduledAt, s.AttendedAt, s.DurationMinutes, s.Note, s.NoShowRecordedAt, s.CancelledAt,
        s.CancellationReason);

    internal static async Task<IResult> Get(Guid sessionId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CounselingSession>(sessionId, ct) is { } found
            ? Results.Ok(Of(found))
            : Problems.From(NotFound(sessionId));

    internal static DomainError NotFound(Guid sessionId) =>
        DomainError.NotFound("session-not-found", $"No counseling session {sessionId} at this clinic.");

    /// <summary>
    /// Runs a command on a session and answers with its new state. The patient's current episode is looked up
    /// first, so the events carry the episode the patient is in when the fact is recorded.
    /// </summary>
    internal static async Task<IResult> Change(IDocumentSession session, Guid sessionId,
        Func<CounselingSession, Guid?, Decision> decide, CancellationToken ct)
    {
        if (await session.LoadAsync<CounselingSession>(sessionId, ct) is not { } known) return Problems.From(NotFound(sessionId));
        var episodeId = await KnownPatients.CurrentEpisodeOf(session, known.PatientId, ct);
        return await CommandHandling.Decide<CounselingSession>(session, sessionId, "session-not-found", s => decide(s, episodeId),
            (before, events) => Results.Ok(Of(events.Aggregate(before, CounselingSessionEvolution.Evolve))), ct);
    }
}

/// <summary>A session in a patient's overview: what happened, without the note.</summary>
public sealed record SessionSummary(
    Guid SessionId,
    SessionStatus Status,
    DateTimeOffset ScheduledFor,
    string CounselorId,
    DateTimeOffset? AttendedAt,
    int? DurationMinutes)
{
    public static SessionSummary Of(CounselingSession s) => new(s.Id, s.Status, s.ScheduledFor, s.CounselorId, s.AttendedAt, s.DurationMinutes);
}
