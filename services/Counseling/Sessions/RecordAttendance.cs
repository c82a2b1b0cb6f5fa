using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;

namespace Recovery.Counseling.Sessions;

/// <summary>
/// The patient attended the session. The note is free text about a person: sealed with the patient's key and never
/// published.
/// </summary>
public sealed record CounselingSessionAttended(
    Guid SessionId,
    Guid PatientId,
    Guid? EpisodeId,
    DateTimeOffset AttendedAt,
    int DurationMinutes,
    Sealed? Note);

public sealed record RecordAttendance(DateTimeOffset AttendedAt, int DurationMinutes, string? Note);

public sealed record RecordAttendanceRequest(DateTimeOffset? AttendedAt, int? DurationMinutes, string? Note)
{
    public Validated<RecordAttendance> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var attendedAt = AttendedAt ?? now;
        if (RequestTimes.IsInFuture(attendedAt, now)) errors.Add("attendedAt", "cannot be in the future");
        var duration = SessionRules.CheckDuration(errors, "durationMinutes", errors.Required("durationMinutes", DurationMinutes));
        if (Note?.Length > SessionRules.MaxNoteLength) errors.Add("note", $"must be at most {SessionRules.MaxNoteLength} characters");
        if (errors.Any) return errors.ToError();
        return new RecordAttendance(attendedAt, duration!.Value, string.IsNullOrWhiteSpace(Note) ? null : Note);
    }
}

public static class SessionAttendance
{
    /// <param name="episodeId">The patient's current episode at this clinic.</param>
    /// <param name="seal">Seals the note with the patient's key.</param>
    public static Decision Decide(CounselingSession session, RecordAttendance command, Guid? episodeId, CounselingProtocol protocol,
        Sealer seal)
    {
        if (SessionRules.MustBeOpen(session) is { } closed) return closed;

        var tolerance = TimeSpan.FromMinutes(protocol.EarlyAttendanceToleranceMinutes);
        if (command.AttendedAt < session.ScheduledFor - tolerance)
            return DomainError.RuleBroken("attended-before-scheduled-time",
                $"Session {session.Id} is scheduled for {session.ScheduledFor:O}; attendance may start at most " +
                $"{protocol.EarlyAttendanceToleranceMinutes} minutes earlier, not at {command.AttendedAt:O}.",
                new Dictionary<string, string[]> { ["attendedAt"] = ["is before the session's scheduled time (less the tolerance)"] },
                new Dictionary<string, object?>
                {
                    ["scheduledFor"] = session.ScheduledFor,
                    ["attendedAt"] = command.AttendedAt,
                    ["earlyAttendanceToleranceMinutes"] = protocol.EarlyAttendanceToleranceMinutes,
                });

        return Decision.Accept(new CounselingSessionAttended(session.Id, session.PatientId, episodeId, command.AttendedAt,
            command.DurationMinutes, command.Note is null ? null : seal(command.Note)));
    }
}
