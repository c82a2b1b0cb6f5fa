using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>Every integration event type in contracts/: each record with an OccurredAt (DosePhase and Recorder only travel inside one).</summary>
public static class ContractEvents
{
    /// <summary>In the order contracts/ declares them (Assessment, Counseling, Detox, Relapse, Sharing).</summary>
    public static readonly IReadOnlyList<Type> All = typeof(IPatientEvent).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetProperty(nameof(IPatientEvent.OccurredAt)) is not null
                    && ContractExchangeNames.NameOf(t) is not null)
        .OrderBy(t => t.MetadataToken)
        .ToList();
}

/// <summary>
/// The history stream: a copy of every integration event, kept by size and age, that a late or recovering integrator reads
/// from any offset with an AMQP 0.9.1 client (docs/events.md, "Replaying the history"). Settings "EventHistory:*".
/// </summary>
public sealed class EventHistoryOptions
{
    public const string Section = "EventHistory";

    /// <summary>The stream's name; under "recovery." so the integrators' read permission on "^recovery\." covers it.</summary>
    public const string Stream = "recovery.event-history";

    /// <summary>x-max-age: segments older than this are deleted (RabbitMQ units Y, M, D, h, m, s).</summary>
    public string MaxAge { get; set; } = "90D";

    /// <summary>x-max-length-bytes: the oldest segments are deleted beyond this size.</summary>
    public long MaxLengthBytes { get; set; } = 20_000_000_000;

    /// <summary>
    /// x-stream-max-segment-size-bytes: retention deletes whole segments, so the stream holds up to one segment more than
    /// the limits; smaller than RabbitMQ's 500 MB default so the limits are kept more closely.
    /// </summary>
    public long MaxSegmentSizeBytes { get; set; } = 100_000_000;

    public Dictionary<string, object?> Arguments() => new()
    {
        ["x-queue-type"] = "stream",
        ["x-max-age"] = MaxAge,
        ["x-max-length-bytes"] = MaxLengthBytes,
        ["x-stream-max-segment-size-bytes"] = MaxSegmentSizeBytes,
    };
}

/// <summary>
/// What outside systems bind to, declared by every service at its start (idempotently, as MassTransit declares them on
/// publish): every contract exchange, so an integrator can bind before anything was published, and the history stream
/// bound to each. The forwarder waits for <see cref="Declared"/>, so the stream misses nothing a service publishes.
/// </summary>
public sealed class ContractTopology(RabbitMqOptions rabbit, EventHistoryOptions history, ILogger<ContractTopology> logger) : IHostedService
{
    // As long as MassTransit waits for the broker at start (MessageBusSetup's StartTimeout).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _declared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every exchange and the stream's bindings exist.</summary>
    public Task Declared => _declared.Task;

    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await Declare(ct);
                _declared.TrySetResult();
                return;
            }
            // A connection cut while declaring (seen as OperationInterruptedException when instances declare the history stream
            // at once on a cluster) is tried again on a new connection like an unreachable broker.
            catch (Exception ex) when (ex is (BrokerUnreachableException or AlreadyClosedException or IOException)
                                          or OperationInterruptedException { ShutdownReason.ReplyCode: not 406 and not 403 }
                                       && DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Declaring the contract exchanges failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (Exception ex)
            {
                _declared.TrySetException(ex);
                throw;
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task Declare(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = rabbit.VirtualHost, UserName = rabbit.Username, Password = rabbit.Password,
            ClientProvidedName = "recovery contract topology",
        };
        // Any node of a cluster will do: exchanges and the stream are the cluster's, not one node's.
        await using var connection = await factory.CreateConnectionAsync(
            rabbit.Endpoints().Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList(), ct);
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var exchanges = ContractEvents.All.Select(t => ContractExchangeNames.NameOf(t)!).ToList();
        foreach (var exchange in exchanges)
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        try
        {
            await channel.QueueDeclareAsync(EventHistoryOptions.Stream, durable: true, exclusive: false, autoDelete: false,
                history.Arguments(), cancellationToken: ct);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            // A stream's arguments are fixed when it is first declared; the stream and its history stay as they are.
            logger.LogWarning("The history stream {Stream} exists with other settings than {Settings}; keeping it. " +
                "Change a running stream's retention by policy (docs/operations.md): {Reason}",
                EventHistoryOptions.Stream, history.Arguments(), ex.ShutdownReason.ReplyText);
            channel = await connection.CreateChannelAsync(cancellationToken: ct);
        }
        foreach (var exchange in exchanges)
            await channel.QueueBindAsync(EventHistoryOptions.Stream, exchange, "", cancellationToken: ct);
        await channel.CloseAsync(ct);
    }
}

public static class ContractTopologySetup
{
    /// <summary>Declares the contract exchanges and the history stream at start; before the bus, so they exist once the service has started.</summary>
    public static WebApplicationBuilder AddContractTopology(this WebApplicationBuilder builder, RabbitMqOptions rabbit)
    {
        var history = builder.Configuration.GetSection(EventHistoryOptions.Section).Get<EventHistoryOptions>() ?? new EventHistoryOptions();
        builder.Services.AddSingleton(sp => new ContractTopology(rabbit, history, sp.GetRequiredService<ILogger<ContractTopology>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ContractTopology>());
        return builder;
    }
}
