using JasperFx;
using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Telemetry;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>The inbox: one row per message a consumer has taken effect for.</summary>
public sealed class ProcessedMessage
{
    public string Id { get; set; } = "";
    public Guid MessageId { get; set; }
    public string Consumer { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>
/// A consumer whose effects and the record of having processed the message commit in one transaction,
/// so a message seen twice changes nothing the second time.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(IDocumentStore store, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
{
    public virtual async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} has no message id; it cannot be de-duplicated.");
        var key = Inbox.KeyOf(GetType().Name, messageId);

        // A care service keeps each clinic's data apart: the effects and the inbox row go to the message's clinic.
        await using var session = RecordingSession.Open(store, TenantOf(context.Message));
        if (await session.LoadAsync<ProcessedMessage>(key, context.CancellationToken) is not null)
        {
            Inbox.Dropped(logger, GetType(), messageId);
            return;
        }

        session.Insert(Inbox.Row(key, GetType().Name, messageId));
        await Handle(session, context);
        try
        {
            await session.SaveChangesAsync(context.CancellationToken);
            Inbox.Consumed(GetType(), context.Message);
        }
        catch (DocumentAlreadyExistsException)
        {
            // The same message raced in on another consumer instance and won; ours rolled back whole.
            Inbox.Dropped(logger, GetType(), messageId);
        }
    }

    /// <summary>The tenant (clinic) whose session records the message; null in a store without tenants.</summary>
    protected virtual string? TenantOf(TMessage message) => null;

    /// <summary>Records the message's effects in <paramref name="session"/>; the caller commits them with the inbox row.</summary>
    protected abstract Task Handle(IDocumentSession session, ConsumeContext<TMessage> context);
}

/// <summary>
/// The inbox's row, key and metrics, one place for every consumer: <see cref="IdempotentConsumer{TMessage}"/> and the
/// batched <see cref="InboxBatches"/>. A consumer is keyed and counted by its type's name ("PatientEventRecorder`1").
/// </summary>
public static class Inbox
{
    public static string KeyOf(string consumer, Guid messageId) => $"{consumer}:{messageId}";

    public static ProcessedMessage Row(string key, string consumer, Guid messageId) =>
        new() { Id = key, MessageId = messageId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow };

    /// <summary>A message took effect: counted, and a fact's lag since it happened recorded.</summary>
    public static void Consumed(Type consumer, object message)
    {
        var tag = new KeyValuePair<string, object?>("consumer", MetricName(consumer));
        PlatformTelemetry.MessagesConsumed.Add(1, tag);
        if (message is IPatientEvent fact) PlatformTelemetry.ConsumerLagSeconds.Record((DateTimeOffset.UtcNow - fact.OccurredAt).TotalSeconds, tag);
    }

    /// <summary>A message already processed: dropped, counted and logged.</summary>
    public static void Dropped(ILogger logger, Type consumer, Guid messageId)
    {
        PlatformTelemetry.DuplicatesDropped.Add(1, new KeyValuePair<string, object?>("consumer", MetricName(consumer)));
        logger.LogInformation("Message {MessageId} was already processed by {Consumer}; dropped", messageId, consumer.Name);
    }

    /// <summary>"timeline: PatientEventRecorder`1" - which service's consumer, for metrics.</summary>
    private static string MetricName(Type consumer) => MetricNames.GetOrAdd(consumer,
        t => $"{t.Namespace?.Split('.').ElementAtOrDefault(1)?.ToLowerInvariant()}: {t.Name}");

    // Worked out once per consumer type.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> MetricNames = new();
}
