using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Counseling.Sessions;

/// <summary>
/// The session was called off before it took place. The reason is free text and stays in the service; the
/// published contract says only which session, so a scheduled session never stays open on the timeline.
/// (ScheduledFor and EpisodeId were added later: older events have them empty.)
/// </summary>
public sealed record CounselingSessionCancelled(Guid SessionId, Guid PatientId, string? Reason, DateTimeOffset CancelledAt,
    DateTimeOffset? ScheduledFor = null, Guid? EpisodeId = null);

public sealed record CancelSession(string? Reason, DateTimeOffset Now);

public sealed record CancelSessionRequest(string? Reason)
{
    public const int MaxReasonLength = 500;

    public Validated<CancelSession> Validate(DateTimeOffset now)
    {
        if (Reason?.Length > MaxReasonLength)
            return DomainError.Invalid("reason", "request-invalid", $"reason must be at most {MaxReasonLength} characters");
        return new CancelSession(string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), now);
    }
}

public static class SessionCancellation
{
    public static Decision Decide(CounselingSession session, CancelSession command, Guid? episodeId = null) =>
        SessionRules.MustBeOpen(session) is { } closed
            ? closed
            : Decision.Accept(new CounselingSessionCancelled(session.Id, session.PatientId, command.Reason, command.Now,
                session.ScheduledFor, episodeId));

    /// <summary>The body is optional: a cancellation needs no reason.</summary>
    internal static Task<IResult> Handle(Guid sessionId, CancelSessionRequest? request, IDocumentSession session, TimeProvider clock,
        CancellationToken ct) =>
        (request ?? new CancelSessionRequest(null)).Validate(clock.GetUtcNow()) switch
        {
            { Error: { } invalid } => Task.FromResult(Problems.From(invalid)),
            { Value: var command } => SessionView.Change(session, sessionId, (s, episodeId) => Decide(s, command!, episodeId), ct),
        };
}
