using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Npgsql;

namespace Recovery.Benchmarks;

/// <summary>
/// The load benchmark: N simulated clinics drive assessments through the public API for a fixed time, with the
/// raw PostgreSQL and RabbitMQ rates measured in the same run on the same machine for comparison.
/// </summary>
public static class Load
{
    public static async Task Run(PlatformApi api, BenchmarkOptions options)
    {
        var clinics = options.Concurrency;
        Console.WriteLine($"load: {clinics} clinics for {options.Seconds} s, {options.Readers} timeline readers; baselines at the same concurrency");
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
            ?? "Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery";

        var rawInserts = await RawInserts(connection, clinics, TimeSpan.FromSeconds(10));
        var rawMessages = await RawMessages(clinics, TimeSpan.FromSeconds(10));
        var (rate, latency, freshness) = await Commands(api, clinics, TimeSpan.FromSeconds(options.Seconds), pace: null);
        // The freshness target is set at half the sustained rate: the same clinics, paced to it.
        var half = rate / 2;
        var (halfRate, halfLatency, halfFreshness) = await Commands(api, clinics, TimeSpan.FromSeconds(Math.Max(20, options.Seconds / 2)), pace: half);
        var reads = await TimelineReads(api, options.Readers, TimeSpan.FromSeconds(10));
        var memory = ServiceProcesses.PeakMemory();

        Console.WriteLine();
        Console.WriteLine($"  {"measure",-52} {"value",16}  target");
        Row("raw PostgreSQL one-row INSERT transactions/s", $"{rawInserts:F0}", "");
        Row("raw MassTransit publish->consume messages/s", $"{rawMessages:F0}", "");
        Row("accepted commands/s (platform)", $"{rate:F0}", $">= {rawInserts / 4:F0} (1/4 of raw inserts)");
        Row("  ratio to raw inserts / to raw messages", $"{rate / rawInserts:P0} / {rate / rawMessages:P0}", "");
        Row("command latency p50 / p99", $"{P(latency, 50):F0} / {P(latency, 99):F0} ms", "");
        Row("freshness (success -> on timeline) p50 / p99", $"{P(freshness, 50):F0} / {P(freshness, 99):F0} ms", "");
        Row($"paced at half that rate: accepted commands/s", $"{halfRate:F0}", $"{half:F0} asked");
        Row("  command latency p50 / p99", $"{P(halfLatency, 50):F0} / {P(halfLatency, 99):F0} ms", "");
        Row("  freshness p50 / p99", $"{P(halfFreshness, 50):F0} / {P(halfFreshness, 99):F0} ms", "p99 < 250 ms");
        Row($"timeline read (~200 entries, {options.Readers} readers) p50 / p99", $"{P(reads, 50):F1} / {P(reads, 99):F1} ms", "p99 < 20 ms");
        foreach (var (service, mb) in memory) Row($"peak memory {service}", $"{mb:F0} MB", "< 300 MB");
    }

    private static void Row(string measure, string value, string target) => Console.WriteLine($"  {measure,-52} {value,16}  {target}");

    private static double P(List<double> samples, double p)
    {
        if (samples.Count == 0) return double.NaN;
        samples.Sort();
        return Stats.Percentile(samples, p);
    }

    /// <summary>One-row INSERT transactions into a scratch table, <paramref name="writers"/> connections at once.</summary>
    public static async Task<double> RawInserts(string connectionString, int writers, TimeSpan duration)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS public.benchmark_raw_insert (id uuid PRIMARY KEY, body jsonb NOT NULL); " +
                "TRUNCATE public.benchmark_raw_insert", setup);
            await create.ExecuteNonQueryAsync();
        }
        var count = 0L;
        var until = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            await using var db = new NpgsqlConnection(connectionString);
            await db.OpenAsync();
            while (DateTime.UtcNow < until)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO public.benchmark_raw_insert (id, body) VALUES ($1, $2::jsonb)", db);
                insert.Parameters.AddWithValue(Guid.CreateVersion7());
                insert.Parameters.AddWithValue("{\"kind\":\"raw\",\"total\":19}");
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    public sealed record RawPing(Guid Id);

    private sealed class RawPingConsumer(ConcurrentBag<Guid> seen) : IConsumer<RawPing>
    {
        public Task Consume(ConsumeContext<RawPing> context)
        {
            seen.Add(context.Message.Id);
            return Task.CompletedTask;
        }
    }

    /// <summary>The deployment's broker and virtual host (RabbitMq__* as the services read them), with publisher confirms.</summary>
    internal static void PlatformBroker(IRabbitMqBusFactoryConfigurator cfg) =>
        cfg.Host(Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1", 5672,
            Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "recovery", h =>
            {
                h.Username(Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "recovery");
                h.Password(Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "recovery");
                h.PublisherConfirmation = true;
            });

    /// <summary>Publish -> consume over the same RabbitMQ with publisher confirms, publishers at the given concurrency.</summary>
    public static async Task<double> RawMessages(int publishers, TimeSpan duration)
    {
        var seen = new ConcurrentBag<Guid>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            Load.PlatformBroker(cfg);
            cfg.ReceiveEndpoint("benchmark-raw", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Consumer(() => new RawPingConsumer(seen));
            });
        });
        await bus.StartAsync();
        try
        {
            var published = 0L;
            var until = DateTime.UtcNow + duration;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
            {
                while (DateTime.UtcNow < until)
                {
                    await bus.Publish(new RawPing(Guid.NewGuid()));
                    Interlocked.Increment(ref published);
                }
            }));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (seen.Count < published && DateTime.UtcNow < deadline) await Task.Delay(10);
            return seen.Count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>
    /// Each clinic registers patients and takes them through a whole assessment, command after command, for the
    /// duration. Every fourth patient's completion is followed to the timeline for freshness. With a
    /// <paramref name="pace"/> (commands/s over all clinics), each command waits for its slot on a shared schedule.
    /// </summary>
    private static async Task<(double Rate, List<double> Latency, List<double> Freshness)> Commands(PlatformApi api, int clinics, TimeSpan duration,
        double? pace)
    {
        var latency = new ConcurrentBag<double>();
        var freshness = new ConcurrentBag<double>();
        var followers = new ConcurrentBag<Task>();
        var accepted = 0L;
        var run = DateTime.UtcNow.ToString("HHmmss");
        var until = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();

        var slots = 0L;
        async Task<T> Timed<T>(Func<Task<T>> call)
        {
            if (pace is { } perSecond)
            {
                var due = TimeSpan.FromSeconds(Interlocked.Increment(ref slots) / perSecond);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            }
            var started = Stopwatch.GetTimestamp();
            var result = await call();
            latency.Add(Stats.Ms(started));
            Interlocked.Increment(ref accepted);
            return result;
        }

        await Task.WhenAll(Enumerable.Range(0, clinics).Select(async c =>
        {
            var clinic = $"clinic-load-{c}";
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                var patient = (Guid)(await Timed(() => api.Post(clinic, "patients", new
                {
                    clinicRecordNumber = $"L{run}-{c}-{n}", givenName = "Load", familyName = $"Patient {n}", dateOfBirth = "1985-05-05", sex = "male",
                })))["patientId"]!;
                var at = $"assessments/{(Guid)(await Timed(() => api.Post(clinic, $"patients/{patient}/assessments", new { })))["assessmentId"]!}";
                await Timed(() => api.Post(clinic, $"{at}/criteria", new { criteriaMet = new[] { "craving", "tolerance", "withdrawal", "activities-given-up" }, onlyUnderMedicalSupervision = false }));
                foreach (var test in new[] { "hiv", "hepatitis-b", "hepatitis-c" })
                    await Timed(() => api.Post(clinic, $"{at}/lab-results", new { test, result = "negative", testedOn = DateTime.UtcNow.ToString("yyyy-MM-dd") }));
                await Timed(() => api.Post(clinic, $"{at}/cardiovascular-status", new { heartRate = 90, systolicBloodPressure = 125, diastolicBloodPressure = 80, qtcMilliseconds = 430, conclusion = "normal" }));
                await Timed(() => api.Post(clinic, $"{at}/completion", new { }));
                var answered = Stopwatch.GetTimestamp();
                if (n % 4 == 0) followers.Add(Follow(api, patient, answered, freshness));
            }
        }));
        var rate = accepted / clock.Elapsed.TotalSeconds;
        await Task.WhenAll(followers);
        return (rate, latency.ToList(), freshness.ToList());
    }

    private static async Task Follow(PlatformApi api, Guid patient, long answered, ConcurrentBag<double> freshness)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if ((await api.TimelineKinds(patient)).Contains("assessment-completed"))
            {
                freshness.Add(Stats.Ms(answered));
                return;
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Builds four patients with about 200 timeline entries each, then reads them with many readers at once.</summary>
    private static async Task<List<double>> TimelineReads(PlatformApi api, int readers, TimeSpan duration)
    {
        var clinic = "clinic-load-reads";
        var run = DateTime.UtcNow.ToString("HHmmss");
        var items = new Dictionary<string, int>
        {
            ["resting-pulse-rate"] = 2, ["sweating"] = 1, ["restlessness"] = 3, ["pupil-size"] = 1, ["bone-or-joint-aches"] = 2,
            ["runny-nose-or-tearing"] = 1, ["gi-upset"] = 2, ["tremor"] = 1, ["yawning"] = 1, ["anxiety-or-irritability"] = 2, ["gooseflesh-skin"] = 3,
        };
        var patients = await Task.WhenAll(Enumerable.Range(0, 4).Select(async p =>
        {
            var patient = (Guid)(await api.Post(clinic, "patients", new
            {
                clinicRecordNumber = $"R{run}-{p}", givenName = "Read", familyName = $"Patient {p}", dateOfBirth = "1980-01-01", sex = "female",
            }))["patientId"]!;
            var at = $"assessments/{(Guid)(await api.Post(clinic, $"patients/{patient}/assessments", new { }))["assessmentId"]!}";
            for (var i = 0; i < 198; i++) await api.Post(clinic, $"{at}/withdrawal-scores", new { items });
            return patient;
        }));
        foreach (var patient in patients)
            while ((await api.TimelineKinds(patient)).Count < 200) await Task.Delay(100);

        var samples = new ConcurrentBag<double>();
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, readers).Select(async r =>
        {
            for (var i = r; DateTime.UtcNow < until; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await api.TimelineKinds(patients[i % patients.Length]);
                samples.Add(Stats.Ms(started));
            }
        }));
        return samples.ToList();
    }
}
