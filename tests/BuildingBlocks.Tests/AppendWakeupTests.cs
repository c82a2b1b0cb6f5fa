using System.Diagnostics;
using Recovery.BuildingBlocks.EventStore;

namespace Recovery.BuildingBlocks.Tests;

/// <summary>
/// The daemon's wake-up: a commit in this process ends the idle daemon's slow wait, never its busy cadence. The waits
/// asked for are long (a minute) where the test expects them cut short, so "ended" is never confused with "timed out";
/// where a wait must last, only its lower bound is checked (a busy machine makes waits longer, never shorter).
/// </summary>
public class AppendWakeupTests
{
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_commit_ends_the_idle_wait_at_once()
    {
        var wakeup = new AppendWakeup(Busy);
        var waiting = wakeup.WaitAsync(Idle, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        wakeup.Pulse();

        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(20))));
    }

    [Fact]
    public async Task A_commit_made_while_the_daemon_polled_ends_its_next_idle_wait()
    {
        var wakeup = new AppendWakeup(Busy);
        wakeup.Pulse();
        wakeup.Pulse(); // two commits, one wake-up pending

        var first = wakeup.WaitAsync(Idle, CancellationToken.None);
        Assert.Same(first, await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(20))));
        var second = wakeup.WaitAsync(Idle, CancellationToken.None);
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300))));
    }

    [Fact]
    public async Task A_commit_does_not_cut_short_the_busy_cadence()
    {
        var wakeup = new AppendWakeup(Busy);
        wakeup.Pulse();

        var waited = Stopwatch.StartNew();
        await wakeup.WaitAsync(Busy, CancellationToken.None);

        Assert.True(waited.Elapsed >= Busy - TimeSpan.FromMilliseconds(20), $"the busy wait ended after {waited.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Without_a_commit_the_idle_wait_lasts_its_time()
    {
        var wakeup = new AppendWakeup(Busy);
        var idle = TimeSpan.FromMilliseconds(400);

        var waited = Stopwatch.StartNew();
        await wakeup.WaitAsync(idle, CancellationToken.None);

        Assert.True(waited.Elapsed >= idle - TimeSpan.FromMilliseconds(20), $"the idle wait ended after {waited.ElapsedMilliseconds} ms");
    }
}
