using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events.Daemon;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Analytics;
using Recovery.Timeline.PatientTimelines;
using Recovery.Timeline.Recording;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Rebuilding;

/// <summary>A timeline-side read model that can be rebuilt from the store, by its name in the admin API.</summary>
public sealed record RebuildableProjection(string Name, string ProjectionName, bool Inline, IReadOnlyList<Type> EventTypes);

/// <summary>
/// Where a rebuild stands: how far through the store's event sequence (reached / ceiling), and how fast it went: the events
/// of the types the projection applies (up to the ceiling) per second of the whole rebuild.
/// </summary>
public sealed record RebuildStatus(
    string Projection,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long Ceiling,
    long Reached,
    double Progress,
    long EventsInStore,
    long Events,
    double? EventsPerSecond,
    string? Failure);

/// <summary>
/// Rebuilds a projection with the async daemon (the running one when the forwarder runs it): the daemon clears the read
/// model and replays the store's events up to the high-water mark at the start (the ceiling). Queries keep answering
/// throughout, from a read model that fills up as the rebuild goes. For an inline projection, recording of new facts waits
/// for the rebuild (<see cref="RecordingPause"/>); an async one catches up with them once rebuilt.
/// </summary>
public sealed class ProjectionRebuilds(IDocumentStore store, IServiceProvider services, RecordingPause recording, TimeProvider clock,
    ILogger<ProjectionRebuilds> logger)
{
    public static readonly IReadOnlyList<RebuildableProjection> Known =
    [
        new("patient-timeline", PatientTimelineProjection.ProjectionName, Inline: true, PatientEvents.All),
        new("patient-outcomes", PatientOutcomesProjection.ProjectionName, Inline: false, PatientEvents.All),
        new("consent", ConsentProjection.ProjectionName, Inline: true, [typeof(ConsentRecorded), typeof(ConsentRevoked)]),
    ];

    // A rebuild may take minutes on a large store; long enough that a slow shard is not cut off.
    private static readonly TimeSpan ShardTimeout = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, RebuildStatus> _statuses = new();
    private readonly SemaphoreSlim _one = new(1, 1);

    public RebuildStatus? StatusOf(string name) => _statuses.TryGetValue(name, out var status) ? status : null;

    /// <summary>Starts a rebuild in the background; one at a time, since inline rebuilds hold recording.</summary>
    public DomainError? Start(string name)
    {
        var projection = Known.FirstOrDefault(p => p.Name == name);
        if (projection is null)
            return DomainError.NotFound("projection-not-found", $"No projection {name}; one of {string.Join(", ", Known.Select(p => p.Name))}.");
        if (!_one.Wait(0))
            return DomainError.Conflict("rebuild-running", "A projection is being rebuilt; wait for it to finish.");
        _statuses[name] = new RebuildStatus(name, "starting", clock.GetUtcNow(), null, 0, 0, 0, 0, 0, null, null);
        _ = Task.Run(async () =>
        {
            try { await Rebuild(projection); }
            finally { _one.Release(); }
        });
        return null;
    }

    private async Task Rebuild(RebuildableProjection projection)
    {
        using var cancel = new CancellationTokenSource(ShardTimeout);
        IDisposable? paused = null;
        IProjectionDaemon? ownDaemon = null;
        try
        {
            if (projection.Inline) paused = await recording.PauseAsync(cancel.Token);
            var statistics = await store.Advanced.FetchEventStoreStatistics(token: cancel.Token);
            var ceiling = statistics.EventSequenceNumber;
            var events = await EventsUpTo(ceiling, projection, cancel.Token);
            var daemon = (services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>() as IProjectionCoordinator
                ?? services.GetService<IProjectionCoordinator>())?.DaemonForMainDatabase();
            if (daemon is null) daemon = ownDaemon = await store.BuildProjectionDaemonAsync(logger: logger);

            var clockwatch = Stopwatch.StartNew();
            var status = _statuses[projection.Name] with { State = "running", Ceiling = ceiling, EventsInStore = statistics.EventCount, Events = events };
            _statuses[projection.Name] = status;
            var rebuilding = daemon.RebuildProjectionAsync(projection.ProjectionName, ShardTimeout, cancel.Token);
            while (await Task.WhenAny(rebuilding, Task.Delay(250, cancel.Token)) != rebuilding)
            {
                var reached = ReachedBy(daemon, projection);
                _statuses[projection.Name] = status with
                {
                    Reached = reached, Progress = Fraction(reached, ceiling),
                    EventsPerSecond = Rate(events * Fraction(reached, ceiling), clockwatch.Elapsed),
                };
            }
            await rebuilding;
            if (projection.ProjectionName == PatientOutcomesProjection.ProjectionName) await EpisodeCohorts.Refresh(store, cancel.Token);
            var seconds = clockwatch.Elapsed;
            // The running daemon leaves a rebuilt async projection stopped at the ceiling: it resumes with the events since.
            if (!projection.Inline && ownDaemon is null) await daemon.StartAgentAsync($"{projection.ProjectionName}:All", cancel.Token);
            _statuses[projection.Name] = status with
            {
                State = "done", FinishedAt = clock.GetUtcNow(), Reached = ceiling, Progress = 1, EventsPerSecond = Rate(events, seconds),
            };
            logger.LogInformation("Rebuilt {Projection}: {Events} events in {Seconds:F1} s ({Rate:F0} events/s)",
                projection.Name, events, seconds.TotalSeconds, Rate(events, seconds));
        }
        catch (Exception failure)
        {
            logger.LogError(failure, "Rebuilding {Projection} failed", projection.Name);
            _statuses[projection.Name] = _statuses[projection.Name] with
            {
                State = "failed", FinishedAt = clock.GetUtcNow(), Failure = failure.GetType().Name + ": " + failure.Message,
            };
        }
        finally
        {
            paused?.Dispose();
            if (ownDaemon is not null) { await ownDaemon.StopAllAsync(); ownDaemon.Dispose(); }
        }
    }

    /// <summary>How many events up to the ceiling the projection applies (the daemon reads only those types).</summary>
    private async Task<long> EventsUpTo(long ceiling, RebuildableProjection projection, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var types = projection.EventTypes.Select(t => t.FullName!).ToArray();
        var counts = await session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from {store.Options.Events.DatabaseSchemaName}.mt_events where seq_id <= ? and type = any(?)", ct, ceiling, types);
        return counts.Single();
    }

    /// <summary>The furthest event sequence the rebuild has applied, as the daemon's tracker last published it.</summary>
    private static long ReachedBy(IProjectionDaemon daemon, RebuildableProjection projection) =>
        daemon.Tracker.CurrentStates()
            .Where(s => s.ShardName.StartsWith(projection.ProjectionName + ":", StringComparison.Ordinal))
            .Select(s => s.Sequence)
            .DefaultIfEmpty(0)
            .Max();

    private static double Fraction(long reached, long ceiling) => ceiling <= 0 ? 1 : Math.Clamp((double)reached / ceiling, 0, 1);

    private static double? Rate(double events, TimeSpan elapsed) => elapsed.TotalSeconds <= 0 ? null : Math.Round(events / elapsed.TotalSeconds, 1);
}

/// <summary>POST /admin/projections/{name}/rebuild starts a rebuild; GET on the same address reports its progress.</summary>
public static class RebuildEndpoints
{
    internal static IResult Start(string name, ProjectionRebuilds rebuilds)
    {
        if (rebuilds.Start(name) is { } error) return Problems.From(error);
        return Results.Accepted($"/admin/projections/{name}/rebuild", rebuilds.StatusOf(name));
    }

    internal static IResult Status(string name, ProjectionRebuilds rebuilds)
    {
        if (ProjectionRebuilds.Known.All(p => p.Name != name))
            return Problems.From(DomainError.NotFound("projection-not-found", $"No projection {name}."));
        return rebuilds.StatusOf(name) is { } status
            ? Results.Ok(status)
            : Problems.From(DomainError.NotFound("rebuild-not-found", $"{name} has not been rebuilt since the service started."));
    }

    internal static IResult List(ProjectionRebuilds rebuilds) =>
        Results.Ok(ProjectionRebuilds.Known.Select(p => new { p.Name, lifecycle = p.Inline ? "inline" : "async", rebuild = rebuilds.StatusOf(p.Name) }));
}
