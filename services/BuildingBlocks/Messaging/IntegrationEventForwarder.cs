using System.Diagnostics;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Recovery.BuildingBlocks.Commands;
using Recovery.Contracts;
using Recovery.BuildingBlocks.Telemetry;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>
/// A service's gateway from its private domain events to the public integration events in contracts/.
/// Returns null for an event that is not published.
/// </summary>
public interface IIntegrationEventMap
{
    object? ToIntegrationEvent(IEvent e);
}

/// <summary>
/// Publishes committed domain events as integration events. It runs as a Marten async-daemon
/// subscription, so the event store is the outbox: only committed events are seen, and the daemon's
/// checkpoint advances only after a page is published, so after a crash the page is published again
/// (at-least-once; consumers drop duplicates by message id, which is the event id).
/// </summary>
public sealed class IntegrationEventForwarder(IIntegrationEventMap map, IBus bus, ContractTopology topology,
    ILogger<IntegrationEventForwarder> logger) : SubscriptionBase
{
    public const string SubscriptionName = "integration-event-forwarder";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        // Nothing is published before the history stream is bound to every exchange: it would miss it.
        await topology.Declared.WaitAsync(ct);
        var facts = page.Events.Select(e => (Event: e, Message: ContractOf(e))).Where(f => f.Message is not null);
        // One patient's facts in the order they were committed (so within each source stream too); patients side by side.
        var patients = facts.GroupBy(f => PatientOf(f.Message!) ?? f.Event.StreamId);
        var service = new KeyValuePair<string, object?>("service", operations.DocumentStore.Options.DatabaseSchemaName);
        await Parallel.ForEachAsync(patients, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct },
            async (patient, token) =>
            {
                foreach (var (e, message) in patient) await PublishUntilAccepted(e, message!, service, token);
            });
        return NullChangeListener.Instance;
    }

    private object? ContractOf(IEvent e) => map.ToIntegrationEvent(e) switch
    {
        // Who recorded the fact and when is stamped here, once for every gateway; a fact with no clinical time of its own
        // happened when it was recorded.
        PatientEvent fact => fact with { RecordedBy = RecordingSession.RecorderOf(e), RecordedAt = e.Timestamp, EffectiveAt = fact.EffectiveAt ?? e.Timestamp },
        var other => other,
    };

    // A publish that fails (broker down) is retried until it succeeds or the daemon stops:
    // skipping it would lose the fact, and throwing would pause the subscription.
    private async Task PublishUntilAccepted(IEvent e, object message, KeyValuePair<string, object?> service, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        // The publish continues the trace the fact was recorded in (a request's, or the consumed message's it was derived
        // from). A fact recorded in none starts its own rather than joining whatever the daemon is doing for other patients.
        var recordedIn = RecordingSession.TraceOf(e);
        if (recordedIn == default) Activity.Current = null;
        while (true)
        {
            try
            {
                using var activity = PlatformTelemetry.Source.StartActivity($"forward {message.GetType().Name}", ActivityKind.Producer, recordedIn);
                activity?.SetTag("recovery.event_id", e.Id);
                activity?.SetTag("recovery.clinic", e.TenantId);
                await bus.Publish(message, message.GetType(), context =>
                {
                    context.MessageId = e.Id;
                    if (ClinicOf(message, e) is { } clinic) context.Headers.Set("recovery-clinic", clinic);
                    context.Headers.Set("recovery-source-sequence", e.Sequence);
                }, ct);
                PlatformTelemetry.EventsForwarded.Add(1, service);
                PlatformTelemetry.ForwarderLagSeconds.Record((DateTimeOffset.UtcNow - e.Timestamp).TotalSeconds, service);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Publishing event {EventId} ({Type}) failed; retrying in {Backoff}", e.Id, message.GetType().Name, backoff);
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// The recording clinic: the contract's own ClinicId (every contract has one), else the event's tenant. A store
    /// without tenants (the Timeline's network record) tags its events with the default tenant, which names no clinic.
    /// </summary>
    private static string? ClinicOf(object message, IEvent e) =>
        Field(message, "ClinicId") as string
        ?? (e.TenantId is { } tenant && tenant != JasperFx.StorageConstants.DefaultTenantId ? tenant : null);

    /// <summary>The patient a contract is about (every contract names one).</summary>
    private static Guid? PatientOf(object message) => Field(message, "PatientId") as Guid?;

    private static object? Field(object message, string name) =>
        Fields.GetOrAdd((message.GetType(), name), key => key.Type.GetProperty(key.Name))?.GetValue(message);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type Type, string Name), System.Reflection.PropertyInfo?> Fields = new();
}
