using Marten;
using Marten.Services;

namespace Recovery.BuildingBlocks.Telemetry;

/// <summary>Counts the events each service's store commits, tagged with the service (its schema).</summary>
internal sealed class EventsAppendedMeter(string service) : DocumentSessionListenerBase
{
    private readonly KeyValuePair<string, object?> _service = new("service", service);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var count = commit.GetEvents().Count();
        if (count > 0) PlatformTelemetry.EventsAppended.Add(count, _service);
        return Task.CompletedTask;
    }
}
