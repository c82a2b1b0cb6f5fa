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
        // Order matters within a stream, not across streams: streams publish side by side.
        var streams = page.Events.GroupBy(e => e.StreamId);
        var service = new KeyValuePair<string, object?>("service", operations.DocumentStore.Options.DatabaseSchemaName);
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct },
            async (stream, token) =>
            {
                foreach (var e in stream) await PublishUntilAccepted(e, service, token);
            });
        return NullChangeListener.Instance;
    }

    // A publish that fails (broker down) is retried until it succeeds or the daemon stops:
    // skipping it would lose the fact, and throwing would pause the subscription.
    private async Task PublishUntilAccepted(IEvent e, KeyValuePair<string, object?> service, CancellationToken ct)
    {
        if (map.ToIntegrationEvent(e) is not { } message) return;
        // Who recorded the fact is stamped here, once for every gateway, from the event's headers.
        if (message is PatientEvent fact) message = fact with { RecordedBy = RecordingSession.RecorderOf(e) };
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                using var activity = PlatformTelemetry.Source.StartActivity(
                    $"forward {message.GetType().Name}", ActivityKind.Producer, RecordingSession.TraceOf(e));
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
        ClinicIds.GetOrAdd(message.GetType(), t => t.GetProperty("ClinicId") is { } p && p.PropertyType == typeof(string) ? p : null)
            ?.GetValue(message) as string
        ?? (e.TenantId is { } tenant && tenant != JasperFx.StorageConstants.DefaultTenantId ? tenant : null);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo?> ClinicIds = new();
}
