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
        var key = $"{GetType().Name}:{messageId}";

        // A care service keeps each clinic's data apart: the effects and the inbox row go to the message's clinic.
        await using var session = RecordingSession.Open(store, TenantOf(context.Message));
        if (await session.LoadAsync<ProcessedMessage>(key, context.CancellationToken) is not null)
        {
            Duplicate(messageId);
            return;
        }

        session.Insert(new ProcessedMessage { Id = key, MessageId = messageId, Consumer = GetType().Name, ProcessedAt = DateTimeOffset.UtcNow });
        await Handle(session, context);
        try
        {
            await session.SaveChangesAsync(context.CancellationToken);
            var consumer = new KeyValuePair<string, object?>("consumer", Describe());
            PlatformTelemetry.MessagesConsumed.Add(1, consumer);
            if (context.Message is IPatientEvent fact)
                PlatformTelemetry.ConsumerLagSeconds.Record((DateTimeOffset.UtcNow - fact.OccurredAt).TotalSeconds, consumer);
        }
        catch (DocumentAlreadyExistsException)
        {
            // The same message raced in on another consumer instance and won; ours rolled back whole.
            Duplicate(messageId);
        }
    }

    /// <summary>The tenant (clinic) whose session records the message; null in a store without tenants.</summary>
    protected virtual string? TenantOf(TMessage message) => null;

    /// <summary>Records the message's effects in <paramref name="session"/>; the caller commits them with the inbox row.</summary>
    protected abstract Task Handle(IDocumentSession session, ConsumeContext<TMessage> context);

    /// <summary>"timeline: PatientEventRecorder`1" - which service's consumer, for metrics.</summary>
    private string Describe() => ConsumerNames.GetOrAdd(GetType(),
        t => $"{t.Namespace?.Split('.').ElementAtOrDefault(1)?.ToLowerInvariant()}: {t.Name}");

    // A consumer instance lives for one message: the metric tag is worked out once per consumer type.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> ConsumerNames = new();

    private void Duplicate(Guid messageId)
    {
        PlatformTelemetry.DuplicatesDropped.Add(1, new KeyValuePair<string, object?>("consumer", Describe()));
        logger.LogInformation("Message {MessageId} was already processed by {Consumer}; dropped", messageId, GetType().Name);
    }
}
