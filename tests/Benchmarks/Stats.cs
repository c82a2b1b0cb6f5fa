using System.Diagnostics;

namespace Recovery.Benchmarks;

public static class Stats
{
    /// <summary>Nearest-rank percentile of already sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Describe(List<double> samplesMs)
    {
        samplesMs.Sort();
        return $"n={samplesMs.Count}  median {Percentile(samplesMs, 50):F1} ms  p90 {Percentile(samplesMs, 90):F1} ms  " +
               $"p99 {Percentile(samplesMs, 99):F1} ms  max {samplesMs[^1]:F1} ms  mean {samplesMs.Average():F1} ms";
    }

    public static double Ms(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalMilliseconds;
}
