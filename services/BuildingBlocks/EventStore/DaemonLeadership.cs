using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// Keeps HotCold leadership true when the database goes away under it (a PostgreSQL restart, a failover to the standby).
/// The leader's advisory lock dies with its server session, but the daemon is not told: without a monitor on the lock
/// (which we leave off, see EventStoreSetup) the old leader keeps running its agents while another instance takes the lock
/// on the new server. Two forwarders then race, the progression's compare-and-set refuses one, and the daemon stops that
/// agent for good; if the stopped one was the real leader's, nothing is forwarded any more once the other instance dies
/// (seen in the cluster test: a failover, then the old leader killed). Every few seconds this watch:
/// <list type="number">
/// <item>finds whether a session of this process (its application name) holds the daemon's lock; when the daemon runs
/// agents without it, the coordinator is restarted, which drops the dead lock and contends again (the other instance
/// has it, so this one turns cold);</item>
/// <item>removes agents the daemon stopped after a failure (an out-of-order progression); the coordinator starts them
/// again on its next round only if this process leads.</item>
/// </list>
/// Only with the HotCold daemon (scaled-out deployments, EventStore:DaemonMode); docs/operations.md "Daemon leadership".
/// </summary>
internal sealed class DaemonLeadership(IServiceProvider services, IDocumentStore store, IConfiguration configuration,
    ILogger<DaemonLeadership> logger) : BackgroundService
{
    /// <summary>The application name of this process's database sessions: the service's schema, host and process id.</summary>
    public static string ApplicationNameOf(string schema) => $"{schema}/{Environment.MachineName}/{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(configuration.GetValue("EventStore:LeadershipCheckSeconds", 5));
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Check(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away (or the daemon restarting): the next round looks again. Never let this stop the host.
                logger.Log(e is NpgsqlException or TimeoutException ? LogLevel.Debug : LogLevel.Warning, e, "Daemon leadership not checked");
            }
        }
    }

    private async Task Check(CancellationToken ct)
    {
        var coordinator = services.GetService<IProjectionCoordinator>();
        if (coordinator is null) return;
        var daemon = coordinator.DaemonForMainDatabase();
        var agents = daemon.CurrentAgents();
        if (agents.Count == 0) return;

        if (!await HoldsDaemonLock(ct))
        {
            logger.LogWarning("This instance runs {Agents} daemon agent(s) without holding the daemon's lock (lost with its database " +
                              "session): restarting the projection coordinator to contend for leadership again", agents.Count);
            await coordinator.StopAsync(ct);
            await coordinator.StartAsync(ct);
            return;
        }
        foreach (var agent in agents.Where(a => a.Status == AgentStatus.Stopped))
        {
            logger.LogWarning("Daemon agent {Agent} was stopped after a failure ({Failure}); it is removed so the leader starts it again",
                agent.Name.Identity, agent.Failure?.Message);
            await daemon.StopAgentAsync(agent.Name.Identity);
        }
    }

    /// <summary>
    /// Whether a session of this process holds a session-level advisory lock in this database, as Marten's daemon lock is
    /// taken (classid 0, objsubid 1: a 32-bit key); the process takes no other such lock while it runs.
    /// </summary>
    private async Task<bool> HoldsDaemonLock(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var held = await session.AdvancedSql.QueryAsync<bool>(
            """
            select exists (select from pg_locks l join pg_stat_activity a on a.pid = l.pid
                           where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objsubid = 1
                             and l.database = (select oid from pg_database where datname = current_database())
                             and a.application_name = ?)
            """, ct, ApplicationNameOf(store.Options.DatabaseSchemaName));
        return held[0];
    }
}
