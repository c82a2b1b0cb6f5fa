using Marten;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>
/// How a consumer's effect writes a stream, inside the inbox transaction of <see cref="IdempotentConsumer{TMessage}"/>: the
/// consumer's counterpart of the command pipeline. Nothing commits here; the inbox commits the effect with its row.
/// </summary>
public static class ConsumerStreams
{
    /// <summary>Decides on an existing stream and appends what was decided; a concurrent change fails the commit and the message is retried.</summary>
    public static async Task Decide<TState>(IDocumentSession session, Guid streamId, Func<TState, Decision> decide, CancellationToken ct)
        where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(streamId, ct);
        if (stream.Aggregate is null) return;
        var decision = decide(stream.Aggregate);
        if (decision.Events.Count > 0) stream.AppendMany(decision.Events.ToArray());
    }

    /// <summary>Starts a stream; two starts racing collide on the id, and the loser's message is retried and then finds it.</summary>
    public static void Start<TState>(IDocumentSession session, Guid streamId, Decision decision) where TState : class
    {
        if (decision.Events.Count > 0) session.Events.StartStream<TState>(streamId, decision.Events.ToArray());
    }

    /// <summary>
    /// Appends one event under the given id (a message id, so a redelivery is recognised) with the stream's row locked:
    /// concurrent messages for one stream queue instead of overwriting each other's document.
    /// </summary>
    public static async Task AppendExclusively<TState>(IDocumentSession session, Guid streamId, object data, Guid eventId, CancellationToken ct)
        where TState : class
    {
        var stream = await session.Events.FetchForExclusiveWriting<TState>(streamId, ct);
        var e = session.Events.BuildEvent(data);
        e.Id = eventId;
        stream.AppendOne(e);
    }

    /// <summary>A batch over many streams of a clinic in one transaction (a review, a recomputation): each fetched and decided in turn.</summary>
    public static async Task<int> DecideEach<TState>(IDocumentSession session, IEnumerable<Guid> streamIds, Func<TState, Decision> decide,
        Action<Decision>? counted, CancellationToken ct) where TState : class
    {
        var changed = 0;
        foreach (var id in streamIds)
        {
            var stream = await session.Events.FetchForWriting<TState>(id, ct);
            if (stream.Aggregate is null) continue;
            var decision = decide(stream.Aggregate);
            if (decision.Events.Count == 0) continue;
            stream.AppendMany(decision.Events.ToArray());
            changed++;
            counted?.Invoke(decision);
        }
        return changed;
    }
}
