using Marten;
using Microsoft.AspNetCore.Http;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// The one way a command changes a stream: load the aggregate, decide, append with optimistic
/// concurrency in one transaction. A refusal appends nothing.
/// </summary>
public static class CommandHandling
{
    public static async Task<IResult> Decide<TState>(
        IDocumentSession session,
        Guid streamId,
        string notFoundRule,
        Func<TState, Decision> decide,
        Func<TState, IReadOnlyList<object>, IResult> onAccepted,
        CancellationToken ct) where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(streamId, ct);
        if (stream.Aggregate is null)
            return Problems.From(DomainError.NotFound(notFoundRule, $"No record {streamId} at this clinic."));

        var decision = decide(stream.Aggregate);
        if (decision.Error is { } error) return Problems.From(error);

        stream.AppendMany(decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        return onAccepted(stream.Aggregate, decision.Events);
    }
}
