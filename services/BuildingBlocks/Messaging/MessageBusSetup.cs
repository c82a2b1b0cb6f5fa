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
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true; // a publish completes only once the broker has it
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
    public static WebApplicationBuilder AddMessageBus(this WebApplicationBuilder builder, string queue, params Type[] consumers) =>
        builder.AddMessageBus(
            bus => Array.ForEach(consumers, c => bus.AddConsumer(c)),
            (context, rabbit) => rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.PrefetchCount = 32;
                endpoint.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000, 15000));
                Array.ForEach(consumers, c => endpoint.ConfigureConsumer(context, c));
            }));
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
