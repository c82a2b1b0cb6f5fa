using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.Sessions;

/// <summary>
/// A session as the API shows it to the clinic's staff, note included. Once the patient's personal data is erased the note
/// and cancellation reason are null and <see cref="PersonalDataErased"/> says why.
/// </summary>
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
    string? CancellationReason,
    bool PersonalDataErased)
{
    public static SessionView Of(CounselingSession s, PersonalDataReader personal)
    {
        var note = personal.Open(s.Note);
        var reason = personal.Open(s.CancellationReason);
        return new(s.Id, s.PatientId, s.Status, s.ScheduledFor, s.CounselorId, s.PlannedDurationMinutes, s.ScheduledAt, s.AttendedAt,
            s.DurationMinutes, note, s.NoShowRecordedAt, s.CancelledAt, reason, personal.Erased);
    }

    public static bool HoldsPersonalText(CounselingSession s) => s.Note is not null || s.CancellationReason is not null;

    /// <summary>The view with its sealed texts opened; the patient's key is looked up only when there is something to open.</summary>
    public static async Task<SessionView> Open(CounselingSession s, PersonalDataVault vault, string clinicId, CancellationToken ct) =>
        Of(s, s.Note is null && s.CancellationReason is null ? PersonalDataReader.Nothing : await vault.ReaderFor(clinicId, s.PatientId, ct));

    internal static async Task<IResult> Get(Guid sessionId, IQuerySession session, PersonalDataVault vault, CancellationToken ct) =>
        await session.LoadAsync<CounselingSession>(sessionId, ct) is { } found
            ? Results.Ok(await Open(found, vault, session.TenantId, ct))
            : Problems.From(NotFound(sessionId));

    internal static DomainError NotFound(Guid sessionId) =>
        DomainError.NotFound("session-not-found", $"No counseling session {sessionId} at this clinic.");
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
