using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Counseling.Sessions;

/// <summary>The session was called off before it took place. Private to the service: no contract carries it (yet).</summary>
public sealed record CounselingSessionCancelled(Guid SessionId, Guid PatientId, string? Reason, DateTimeOffset CancelledAt);

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
    public static Decision Decide(CounselingSession session, CancelSession command) =>
        SessionRules.MustBeOpen(session) is { } closed
            ? closed
            : Decision.Accept(new CounselingSessionCancelled(session.Id, session.PatientId, command.Reason, command.Now));

    /// <summary>The body is optional: a cancellation needs no reason.</summary>
    internal static Task<IResult> Handle(Guid sessionId, CancelSessionRequest? request, IDocumentSession session, TimeProvider clock,
        CancellationToken ct) =>
        (request ?? new CancelSessionRequest(null)).Validate(clock.GetUtcNow()) switch
        {
            { Error: { } invalid } => Task.FromResult(Problems.From(invalid)),
            { Value: var command } => SessionView.Change(session, sessionId, (s, _) => Decide(s, command!), ct),
        };
}
