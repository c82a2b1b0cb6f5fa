using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Services;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// Wakes the store's async daemon (its high-water agent, which feeds the forwarder) the moment this process commits
/// events, so an idle daemon need not poll often to keep the timeline fresh. While caught up the agent waits
/// SlowPollingTime, which is now only the safety net for events another process appended (a second instance, a
/// restore); a commit here ends that wait at once. While busy it keeps its fast cadence: waits no longer than
/// FastPollingTime are never cut short, so a burst of commits cannot turn into a poll per commit. The signal stays
/// in the process; PostgreSQL NOTIFY on every append serialised commits here (docs/operations.md, "Running cost").
/// </summary>
public sealed class AppendWakeup(TimeSpan busyCadence) : DocumentSessionListenerBase, IDaemonWakeup
{
    // At most one pending wake-up: sticky, so a commit that lands while the agent polls still ends its next wait.
    private readonly SemaphoreSlim _appended = new(0, 1);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any()) Pulse();
        return Task.CompletedTask;
    }

    public void Pulse()
    {
        try { _appended.Release(); }
        catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        if (timeout <= busyCadence) await Task.Delay(timeout, token);
        else await _appended.WaitAsync(timeout, token);
    }

    // The daemon may dispose its wake-up when it stops, and a restarted daemon uses the store's same one: nothing is
    // released here (the semaphore holds no handle until its AvailableWaitHandle is asked for, which nothing does).
    public void Dispose() { }
}
