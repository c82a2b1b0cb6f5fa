using System.Diagnostics;

namespace Recovery.DemoNetwork;

/// <summary>Prints how far the demo is, every two seconds, while it runs.</summary>
public sealed class Progress : IDisposable
{
    private readonly Timer _timer;

    public Progress(int total, Func<int> done, Stopwatch clock) =>
        _timer = new Timer(_ =>
        {
            var n = done();
            Console.WriteLine($"  [{n,5}/{total}] patients through their journey, {clock.Elapsed.TotalSeconds,6:F1} s");
        }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

    public void Dispose() => _timer.Dispose();
}
