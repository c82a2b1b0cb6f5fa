namespace Recovery.DemoNetwork;

/// <param name="Run">Tags this run's clinic record numbers, so a seed can be replayed against the same database.</param>
public sealed record Options(int Clinics, int Patients, int Seed, int Concurrency, string Run)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        var options = new Options(int.Parse(Value("--clinics", "3")), int.Parse(Value("--patients", "200")),
            int.Parse(Value("--seed", "1")), int.Parse(Value("--concurrency", "8")),
            Value("--run", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x")));
        if (options.Clinics is < 1 or > 26 || options.Patients < 1 || options.Concurrency < 1)
            throw new ArgumentException("--clinics 1-26, --patients >= 1, --concurrency >= 1");
        return options;
    }
}
