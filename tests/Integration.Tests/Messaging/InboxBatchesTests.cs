using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Integration.Tests;

/// <summary>
/// The batched inbox (the Timeline's recorders use it) against the real PostgreSQL: many messages in few transactions, yet
/// each takes effect once, and one whose effect fails fails alone.
/// </summary>
public class InboxBatchesTests
{
    public sealed class Noted
    {
        public Guid Id { get; set; }
        public int Number { get; set; }
    }

    [Fact]
    public async Task Messages_handed_in_together_take_effect_once_each_and_a_failing_one_fails_alone()
    {
        using var store = DocumentStore.For(o =>
        {
            o.Connection(Platform.ConnectionString);
            o.DatabaseSchemaName = "inbox_batches_test";
        });
        await using var inbox = new InboxBatches(store, NullLogger<InboxBatches>.Instance);
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var poison = ids[17];

        Task<bool> Hand(Guid id, int number) => inbox.Record(typeof(InboxBatchesTests), id, new object(), session =>
        {
            if (id == poison) throw new InvalidOperationException("this message's effect cannot be staged");
            session.Store(new Noted { Id = id, Number = number });
        }, CancellationToken.None);

        // Every message twice at once (a redelivery racing the first delivery), all handed in together.
        var first = ids.Select((id, n) => Hand(id, n)).ToList();
        var again = ids.Select((id, n) => Hand(id, n)).ToList();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => first[17]);
        Assert.Equal("this message's effect cannot be staged", failed.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => again[17]);

        // Of each healthy pair exactly one took effect; the other was dropped as a duplicate.
        var tookEffect = new List<bool>();
        for (var n = 0; n < ids.Count; n++)
        {
            if (n == 17) continue;
            var (a, b) = (await first[n], await again[n]);
            Assert.True(a ^ b, $"message {n}: first {a}, again {b}; exactly one should take effect");
            tookEffect.Add(a || b);
        }
        Assert.Equal(ids.Count - 1, tookEffect.Count(t => t));

        // A third delivery, after the batch committed, finds the message in the inbox.
        Assert.False(await Hand(ids[0], 0));

        await using var query = store.QuerySession();
        var noted = await query.LoadManyAsync<Noted>(ids);
        Assert.Equal(ids.Where(id => id != poison).Order(), noted.Select(n => n.Id).Order());
        var rows = await query.LoadManyAsync<ProcessedMessage>(ids.Select(id => $"InboxBatchesTests:{id}"));
        Assert.Equal(ids.Count - 1, rows.Count);
        Assert.DoesNotContain(rows, r => r.MessageId == poison);
    }
}
