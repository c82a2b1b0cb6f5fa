using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Counseling.Sessions;

/// <summary>
/// The session was called off before it took place. The reason is free text about a person: sealed with the patient's key
/// and never published; the contract says only which session, so a scheduled session never stays open on the timeline.
/// (ScheduledFor and EpisodeId were added later: older events have them empty.)
/// </summary>
public sealed record CounselingSessionCancelled(Guid SessionId, Guid PatientId, Sealed? Reason, DateTimeOffset CancelledAt,
    DateTimeOffset? ScheduledFor = null, Guid? EpisodeId = null);

public sealed record CancelSession(string? Reason, DateTimeOffset Now);

public sealed record CancelSessionRequest(string? Reason)
{
    public const int MaxReasonLength = 500;

    public Validated<CancelSession> Validate(ClinicNow now)
    {
        if (Reason?.Length > MaxReasonLength)
            return DomainError.Invalid("reason", "request-invalid", $"reason must be at most {MaxReasonLength} characters");
        return new CancelSession(string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), now);
    }
}

public static class SessionCancellation
{
    /// <param name="seal">Seals the reason with the patient's key.</param>
    public static Decision Decide(CounselingSession session, CancelSession command, Guid? episodeId, Sealer seal) =>
        SessionRules.MustBeOpen(session) is { } closed
            ? closed
            : Decision.Accept(new CounselingSessionCancelled(session.Id, session.PatientId,
                command.Reason is null ? null : seal(command.Reason), command.Now,
                session.ScheduledFor, episodeId));
}
