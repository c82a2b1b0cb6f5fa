using System.Threading.Channels;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging;
using Recovery.BuildingBlocks.Commands;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>
/// The inbox for a consumer whose effect only stages writes (an append, a stored document) and reads nothing: the messages
/// its concurrent deliveries hand in while one transaction commits are committed together in the next, each with its inbox
/// row, so a busy queue costs one inbox read and one commit per batch instead of per message. A delivery is acknowledged
/// only after its batch committed (at-least-once); a message already in the inbox, or twice in a batch, is dropped. When a
/// batch fails, its messages are committed one at a time, so one bad message fails only its own delivery. Batches are
/// committed one after another, in the order the messages were handed in.
/// </summary>
public sealed class InboxBatches(IDocumentStore store, ILogger<InboxBatches> logger) : IAsyncDisposable
{
    /// <summary>The most messages one transaction commits (a consumer's prefetch bounds how many wait at once).</summary>
    public const int MaxBatch = 64;

    private readonly Channel<Item> _pending = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;
    private readonly object _sync = new();

    private sealed record Item(string Key, Guid MessageId, Type Consumer, object Message, Action<IDocumentSession> Stage,
        TaskCompletionSource<bool> Done);

    /// <summary>
    /// Commits <paramref name="stage"/>'s writes with the message's inbox row, in a batch with other messages; true when they
    /// took effect, false when the message had already been processed. Throws what the commit threw when it failed alone.
    /// </summary>
    /// <param name="consumer">The consumer's type: the inbox keys and counts it by its name, as <see cref="Inbox"/> does for every consumer.</param>
    public Task<bool> Record(Type consumer, Guid messageId, object message, Action<IDocumentSession> stage, CancellationToken ct)
    {
        lock (_sync)
        {
            // The writer must not inherit the first caller's trace (Activity.Current flows with the execution context).
            using (ExecutionContext.SuppressFlow()) _writer ??= Task.Run(Write);
        }
        var item = new Item(Inbox.KeyOf(consumer.Name, messageId), messageId, consumer, message, stage,
            new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(InboxBatches));
        // Cancelled (the bus stopping): not acknowledged, so redelivered; if the batch committed meanwhile, the inbox drops it.
        return item.Done.Task.WaitAsync(ct);
    }

    private async Task Write()
    {
        var batch = new List<Item>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item)) batch.Add(item);
            try { await Commit(batch); }
            catch (Exception down) when (DatabaseUnavailable(down))
            {
                // Not one message's fault: each delivery goes through its retry policy at once, rather than every one of them
                // waiting for its own failed connection in turn.
                foreach (var item in batch) item.Done.TrySetException(down);
            }
            catch (Exception batchFailure)
            {
                logger.LogInformation(batchFailure, "A batch of {Count} messages failed; committing them one at a time", batch.Count);
                foreach (var item in batch)
                {
                    try { await Commit([item]); }
                    // Another instance of the consumer committed the same message in between: ours rolled back whole.
                    catch (DocumentAlreadyExistsException) { Dropped(item); }
                    catch (Exception e) { item.Done.TrySetException(e); }
                }
            }
        }
    }

    /// <summary>One transaction: the batch's new messages' effects and inbox rows; completes every item on success.</summary>
    private async Task Commit(IReadOnlyList<Item> items)
    {
        await using var session = RecordingSession.Open(store, null);
        var known = (await session.LoadManyAsync<ProcessedMessage>(items.Select(i => i.Key).Distinct())).Select(p => p.Id).ToHashSet();
        var fresh = new List<Item>(items.Count);
        foreach (var item in items)
        {
            if (!known.Add(item.Key)) continue; // processed before, or earlier in this batch
            session.Insert(Inbox.Row(item.Key, item.Consumer.Name, item.MessageId));
            item.Stage(session);
            fresh.Add(item);
        }
        if (fresh.Count > 0) await session.SaveChangesAsync();
        foreach (var item in items)
        {
            if (!fresh.Contains(item))
            {
                Dropped(item);
                continue;
            }
            Inbox.Consumed(item.Consumer, item.Message);
            item.Done.TrySetResult(true);
        }
    }

    private static bool DatabaseUnavailable(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
            if (e is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException) return true;
        return false;
    }

    private void Dropped(Item item)
    {
        Inbox.Dropped(logger, item.Consumer, item.MessageId);
        item.Done.TrySetResult(false);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer is not null) await _writer;
    }
}
