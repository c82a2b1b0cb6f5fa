using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Npgsql;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Messaging;
using Dose = Recovery.Contracts.Detox.V1.DoseGiven;

namespace Recovery.Benchmarks;

/// <summary>
/// Long journeys: the Timeline's cost as a patient's record grows. An outside system publishes DoseGiven facts for one
/// patient to the bus (daily doses make thousands of entries); the cost of one fact is timed in windows at 10, 100, 1,000
/// and 5,000 entries, from the first publish of a window until the patient's stream in the timeline's store holds every fact
/// of it (the timeline is an inline projection: it commits with the fact). On the way, the same patient's timeline is read
/// by many readers at 200 and at 2,000 entries (the 2,000 whole and as its newest page); last, a rebuild of the timeline.
/// Only the Timeline service (and the bus and database) take part. <c>--save FILE</c> keeps the figures; <c>--before FILE</c>
/// prints a saved run beside this one (e.g. the previous build's, run on the same machine in the same session).
/// </summary>
public static class Journeys
{
    private const string Clinic = "clinic-journeys";
    private static readonly (int At, int Window)[] Checkpoints = [(10, 10), (100, 50), (1_000, 100), (5_000, 100)];
    private const int PageSize = 50;

    public static async Task Run(PlatformApi api, BenchmarkOptions options, string[] args)
    {
        var figures = new Dictionary<string, double>();
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
            ?? "Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery";
        Console.WriteLine($"journeys: recording cost at {string.Join(" / ", Checkpoints.Select(c => c.At))} entries, reads under {options.Readers} readers, a rebuild");

        var save = Option(args, "--save");
        Figure(figures, "raw PostgreSQL one-row INSERT transactions/s (1 writer)", await Load.RawInserts(connection, 1, TimeSpan.FromSeconds(5)), save);
        var bus = await StartBus();
        try
        {
            await using var db = NpgsqlDataSource.Create(connection);
            var recorder = new Recorder(bus, db);

            // One patient's journey as it grows: recording timed in windows at each checkpoint, reads at ~200 and ~2,000 entries.
            var patient = Guid.NewGuid();
            api.ReadsAs(patient, Clinic);
            var duration = TimeSpan.FromSeconds(10);
            foreach (var (at, window) in Checkpoints)
            {
                await recorder.Fill(patient, at);
                var started = Stopwatch.GetTimestamp();
                await recorder.Fill(patient, at + window);
                Figure(figures, $"recording one fact at {at,5:N0} entries (ms)", Stats.Ms(started) / window, save);
                if (at == 100)
                {
                    await recorder.Fill(patient, 200);
                    Percentiles(figures, "read 200 entries", await Reads(api, patient, "", options.Readers, duration), save);
                }
                if (at == 1_000)
                {
                    await recorder.Fill(patient, 2_000);
                    Percentiles(figures, "read 2,000 entries, whole", await Reads(api, patient, "", options.Readers, duration), save);
                    Percentiles(figures, $"read 2,000 entries, newest {PageSize}", await Reads(api, patient, $"?pageSize={PageSize}", options.Readers, duration), save);
                }
            }

            // Rebuild: the timeline from the whole store.
            var (events, rate) = await api.Rebuild("patient-timeline");
            Figure(figures, "rebuild patient-timeline: events", events, save);
            Figure(figures, "rebuild patient-timeline: events/s", rate, save);
        }
        finally
        {
            await bus.StopAsync();
        }

        var beforeFile = Option(args, "--before");
        var before = beforeFile is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(await File.ReadAllTextAsync(beforeFile));

        Console.WriteLine();
        Console.WriteLine($"  {"measure",-58} {(before is null ? "" : "before"),12} {"this run",12}");
        foreach (var (measure, value) in figures)
            Console.WriteLine($"  {measure,-58} {(before?.TryGetValue(measure, out var was) == true ? Format(was) : ""),12} {Format(value),12}");
    }

    private static string Format(double value) => value >= 100 ? $"{value:F0}" : $"{value:F2}";

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    /// <summary>Keeps a figure, prints it at once and saves the figures so far (a long run cut short keeps what it measured).</summary>
    private static void Figure(Dictionary<string, double> figures, string measure, double value, string? save)
    {
        figures[measure] = value;
        Console.WriteLine($"  {measure,-58} {Format(value),12}");
        if (save is not null) File.WriteAllText(save, JsonSerializer.Serialize(figures));
    }

    private static void Percentiles(Dictionary<string, double> figures, string measure, List<double> samples, string? save)
    {
        samples.Sort();
        Figure(figures, $"{measure} p50 (ms)", Stats.Percentile(samples, 50), save);
        Figure(figures, $"{measure} p99 (ms)", Stats.Percentile(samples, 99), save);
        Figure(figures, $"{measure} reads/s", samples.Count / 10.0, save);
    }

    private static async Task<List<double>> Reads(PlatformApi api, Guid patient, string query, int readers, TimeSpan duration)
    {
        var samples = new System.Collections.Concurrent.ConcurrentBag<double>();
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, readers).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                var started = Stopwatch.GetTimestamp();
                await api.Timeline(patient, query);
                samples.Add(Stats.Ms(started));
            }
        }));
        return samples.ToList();
    }

    /// <summary>An outside system's bus: the platform's exchange names and number format.</summary>
    private static async Task<IBusControl> StartBus()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            Load.PlatformBroker(cfg);
            cfg.ConfigureJsonSerializerOptions(json =>
            {
                foreach (var converter in json.Converters.Where(c => c.CanConvert(typeof(decimal))).ToList()) json.Converters.Remove(converter);
                return json;
            });
            cfg.MessageTopology.SetEntityNameFormatter(new ContractExchangeNames(cfg.MessageTopology.EntityNameFormatter));
        });
        await bus.StartAsync();
        return bus;
    }

    /// <summary>Publishes a patient's daily doses and waits until the timeline's store holds them.</summary>
    private sealed class Recorder(IBus bus, NpgsqlDataSource db)
    {
        private readonly Dictionary<Guid, int> _published = new();
        private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddYears(-20);

        public async Task Fill(Guid patient, int entries)
        {
            int published;
            lock (_published) published = _published.GetValueOrDefault(patient);
            var episode = patient; // one episode per journey
            while (published < entries)
            {
                var batch = Math.Min(250, entries - published);
                await Task.WhenAll(Enumerable.Range(published, batch).Select(i =>
                {
                    var at = Start.AddDays(i);
                    return bus.Publish(new Dose(patient, Clinic, episode, at, patient, "methadone", 30, at, "nurse@clinic-journeys", i == 0, false));
                }));
                published += batch;
                lock (_published) _published[patient] = published;
                await UntilRecorded(patient, published);
            }
        }

        private async Task UntilRecorded(Guid patient, int count)
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (true)
            {
                await using var command = db.CreateCommand("select coalesce((select version from timeline.mt_streams where id = $1), 0)");
                command.Parameters.AddWithValue(patient);
                var version = (long)(await command.ExecuteScalarAsync())!;
                if (version >= count) return;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"patient {patient}: {version} of {count} facts recorded after 5 minutes");
                await Task.Delay(2);
            }
        }
    }
}
