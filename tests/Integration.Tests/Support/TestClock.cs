namespace Recovery.Integration.Tests;

/// <summary>
/// A host's clock for tests: the real time, moved forward while a test holds a shift, so that the host sees time pass
/// (a consent expire) without the test waiting for it. Timers and timestamps stay the system's.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _shiftTicks;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));

    /// <summary>Moves "now" forward by <paramref name="by"/> until the returned shift is disposed.</summary>
    public IDisposable Advance(TimeSpan by)
    {
        Interlocked.Add(ref _shiftTicks, by.Ticks);
        return new Shift(this, by);
    }

    private sealed class Shift(TestClock clock, TimeSpan by) : IDisposable
    {
        private int _undone;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _undone, 1) == 0) Interlocked.Add(ref clock._shiftTicks, -by.Ticks);
        }
    }
}
