using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Messaging;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "recovery";
    public string Username { get; set; } = "recovery";
    public string Password { get; set; } = "recovery";

    /// <summary>
    /// A cluster's nodes, "host:port" separated by commas (RabbitMq__Nodes=10.0.0.1:5672,10.0.0.2:5672); the bus and the
    /// topology connect to the first that answers and move to another when it fails. Empty: the one node Host:Port.
    /// </summary>
    public string Nodes { get; set; } = "";

    /// <summary>
    /// The services' queues as quorum queues (replicated on every node, a new leader elected when one fails). Off by default:
    /// on a single node a quorum queue only costs; a cluster turns it on (deploy/cluster.sh, docs/operations.md).
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>Every node to try, in order: <see cref="Nodes"/>, or Host:Port.</summary>
    public IReadOnlyList<(string Host, ushort Port)> Endpoints()
    {
        var nodes = Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (nodes.Length == 0) return [(Host, Port)];
        return nodes.Select(node =>
        {
            var colon = node.LastIndexOf(':');
            if (colon < 0) return (node, Port);
            return ushort.TryParse(node[(colon + 1)..], out var port) && colon > 0
                ? (node[..colon], port)
                : throw new InvalidOperationException($"RabbitMq:Nodes: '{node}' is not host:port.");
        }).ToList();
    }
}

/// <summary>MassTransit over RabbitMQ, configured one way for every service.</summary>
public static class MessageBusSetup
{
    /// <summary>
    /// Adds the bus. <paramref name="consumers"/> registers the service's consumers and
    /// <paramref name="endpoints"/> binds them to its queues.
    /// </summary>
    public static WebApplicationBuilder AddMessageBus(
        this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var rabbit = builder.Configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        builder.AddContractTopology(rabbit);
        builder.Services.AddMassTransit(bus =>
        {
            // Clinics run without outbound internet; the usage ping would only log failures.
            bus.DisableUsageTelemetry();
            consumers?.Invoke(bus);
            bus.UsingRabbitMq((context, cfg) =>
            {
                var nodes = rabbit.Endpoints();
                cfg.Host(nodes[0].Host, nodes[0].Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true; // a publish completes only once the broker has it (on a quorum queue: a majority)
                    if (nodes.Count > 1) h.UseCluster(c => Array.ForEach(nodes.ToArray(), n => c.Node($"{n.Host}:{n.Port}")));
                });
                // MassTransit writes decimals as JSON strings; the contracts promise numbers (a dose of 25.5 mg is 25.5).
                cfg.ConfigureJsonSerializerOptions(json =>
                {
                    foreach (var converter in json.Converters.Where(c => c.CanConvert(typeof(decimal))).ToList()) json.Converters.Remove(converter);
                    return json;
                });
                cfg.MessageTopology.SetEntityNameFormatter(new ContractExchangeNames(cfg.MessageTopology.EntityNameFormatter));
                // The shared interface and base record are for consumers' convenience, not topics of their own.
                cfg.Publish<IPatientEvent>(p => p.Exclude = true);
                cfg.Publish<PatientEvent>(p => p.Exclude = true);
                endpoints?.Invoke(context, cfg);
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    /// <summary>
    /// Adds the bus with the service's consumers on the service's own queue, which MassTransit binds to the exchange
    /// of every contract they consume. Races (a new stream started twice, an inbox row written twice) resolve on
    /// retry; the inbox makes retries safe.
    /// </summary>
    public static WebApplicationBuilder AddMessageBus(this WebApplicationBuilder builder, string queue, params Type[] consumers)
    {
        var quorum = builder.Configuration.GetValue("RabbitMq:QuorumQueues", false);
        // Deliveries held at once: the Timeline commits what arrives while a batch commits as the next batch (InboxBatches).
        var prefetch = builder.Configuration.GetValue("RabbitMq:PrefetchCount", 32);
        return builder.AddMessageBus(
            bus => Array.ForEach(consumers, c => bus.AddConsumer(c)),
            (context, rabbit) => rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                // No x-delivery-limit: RabbitMQ 3.10 sets none by default, and one without a dead-letter route would drop a
                // message a crashing consumer held too often. A poison message still goes to "<queue>_error" through
                // MassTransit's retry and fault handling, with its reason in the MT-Fault-* headers, as on a classic queue.
                if (quorum) endpoint.SetQuorumQueue();
                endpoint.PrefetchCount = prefetch;
                endpoint.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000, 15000));
                Array.ForEach(consumers, c => endpoint.ConfigureConsumer(context, c));
            }));
    }
}

/// <summary>
/// Exchange names outside systems can read and bind to: Recovery.Contracts.Assessment.V1.AssessmentCompleted
/// is published to "recovery.assessment.v1.assessment-completed".
/// </summary>
public sealed class ContractExchangeNames(IEntityNameFormatter fallback) : IEntityNameFormatter
{
    private const string Prefix = "Recovery.Contracts.";

    public string FormatEntityName<T>() => NameOf(typeof(T)) ?? fallback.FormatEntityName<T>();

    public static string? NameOf(Type type)
    {
        if (type.Namespace is not { } ns || !ns.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var path = ns[Prefix.Length..].ToLowerInvariant();
        return $"recovery.{path}.{Recovery.Clinical.Kebab.Of(type.Name)}";
    }
}
