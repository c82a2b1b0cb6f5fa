namespace Recovery.Benchmarks;

public sealed record BenchmarkOptions(string Benchmark, int Patients, int Concurrency, int Warmup, Uri AssessmentUrl, Uri TimelineUrl,
    int Seconds = 60, int Readers = 32)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        return new BenchmarkOptions(
            args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "freshness",
            int.Parse(Value("--patients", "200")),
            int.Parse(Value("--concurrency", "1")),
            int.Parse(Value("--warmup", "10")),
            new Uri(Value("--assessment", Environment.GetEnvironmentVariable("ASSESSMENT_URL") ?? "http://127.0.0.1:5101")),
            new Uri(Value("--timeline", Environment.GetEnvironmentVariable("TIMELINE_URL") ?? "http://127.0.0.1:5102")),
            int.Parse(Value("--seconds", "60")),
            int.Parse(Value("--readers", "32")));
    }
}
