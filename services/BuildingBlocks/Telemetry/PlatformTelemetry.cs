using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Recovery.BuildingBlocks.Telemetry;

/// <summary>The platform's own trace source and metrics, beside those of ASP.NET Core, Marten, Npgsql and MassTransit.</summary>
public static class PlatformTelemetry
{
    public const string Name = "Recovery.Platform";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsAppended =
        Meter.CreateCounter<long>("recovery.events.appended", description: "Events committed to a service's event store");

    public static readonly Counter<long> EventsForwarded =
        Meter.CreateCounter<long>("recovery.forwarder.events", description: "Integration events published by the forwarder");

    public static readonly Histogram<double> ForwarderLagSeconds =
        Meter.CreateHistogram<double>("recovery.forwarder.lag", "s", "Time from commit to publish");

    public static readonly Counter<long> MessagesConsumed =
        Meter.CreateCounter<long>("recovery.consumer.messages", description: "Messages that took effect");

    public static readonly Histogram<double> ConsumerLagSeconds =
        Meter.CreateHistogram<double>("recovery.consumer.lag", "s",
            "Time from a fact's commit in its source service to its effect in a consumer (for the timeline: projection lag)");

    public static readonly Counter<long> DuplicatesDropped =
        Meter.CreateCounter<long>("recovery.inbox.duplicates", description: "Redelivered messages dropped by the inbox");
}
