using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using Recovery.BuildingBlocks.Http;
using Recovery.DemoNetwork;
using Clinic = Recovery.DemoNetwork.Clinic;

namespace Recovery.Benchmarks;

/// <summary>
/// The mixed load benchmark: the demo network's own journeys (deploy/DemoNetwork: registrations, assessments, detox plans
/// and doses, counseling sessions and groups, urine screens, returns) driven by N patients at once across all four care
/// services, with the raw PostgreSQL one-row INSERT rate at the same concurrency and the raw MassTransit rate measured in
/// the same run. Every command (POST/PUT) goes through <see cref="Measured"/>, which times it, counts it and follows some
/// to the timeline for freshness. A run at full speed is followed by one paced at half its rate (or only a paced run at
/// <c>--rate R</c>).
/// </summary>
public static partial class Mix
{
    public static async Task Run(BenchmarkOptions options, string[] args)
    {
        var concurrency = options.Concurrency;
        var clinicCount = int.Parse(Value(args, "--clinics", "3")!);
        var pace = Value(args, "--rate", null) is { } r ? double.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : (double?)null;
        // Journeys run before anything is measured, so the windows see warm services (JIT, serializer metadata, Marten's
        // per-type storage checks, connection pools) and not their first minute: the rate asked for is the sustained one.
        var warmup = int.Parse(Value(args, "--warmup", "30")!);
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
            ?? "Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery";
        Console.WriteLine($"mix: demo journeys, {concurrency} patients at once over {clinicCount} clinics, {options.Seconds} s" +
                          (pace is { } p0 ? $", paced at {p0:F0} commands/s" : ", then paced at half the rate") + $"; baselines at the same concurrency; {warmup} s warm-up not measured");

        var measured = new Measured();
        using var http = new HttpClient(measured) { Timeout = TimeSpan.FromSeconds(60) };
        var client = new PlatformClient(http, PlatformUrls.FromEnvironment(), new AccessTokens(AuthOptions.FromEnvironment()));
        measured.Timeline = client.Urls.Timeline;
        var clinics = Network.Clinics(clinicCount);
        await Setup.WaitUntilReady(client);
        var groups = await Setup.HelpGroups(client, clinics);
        var run = DateTime.UtcNow.ToString("HHmmss");
        if (warmup > 0) await Drive(measured, client, clinics, groups, concurrency, warmup, null, connection, $"{run}W");

        var rawInserts = await Load.RawInserts(connection, concurrency, TimeSpan.FromSeconds(10));
        var rawMessages = await Load.RawMessages(concurrency, TimeSpan.FromSeconds(10));
        var runs = new List<(string Name, Window W)>();
        if (pace is null)
        {
            var full = await Drive(measured, client, clinics, groups, concurrency, options.Seconds, null, connection, $"{run}F");
            runs.Add(("full speed", full));
            pace = full.Rate / 2;
        }
        runs.Add(($"paced at {pace:F0}/s", await Drive(measured, client, clinics, groups, concurrency, Math.Max(20, options.Seconds / 2), pace, connection, $"{run}P")));

        Console.WriteLine();
        Console.WriteLine($"  {"measure",-50} {"value",18}  target");
        Row("raw PostgreSQL one-row INSERT transactions/s", $"{rawInserts:F0}", $"at concurrency {concurrency}");
        Row("raw MassTransit publish->consume messages/s", $"{rawMessages:F0}", "");
        foreach (var (name, w) in runs)
        {
            Console.WriteLine($"  -- {name} ({w.Seconds:F0} s, {w.Journeys} journeys done)");
            Row("accepted commands/s", $"{w.Rate:F1}", name == "full speed" ? $">= {rawInserts / 10:F0} (10 % of raw inserts)" : "");
            Row("  ratio to raw inserts / to raw messages", $"{w.Rate / rawInserts:P1} / {w.Rate / rawMessages:P1}", "");
            Row("  refused (4xx, mostly 'not yet known' retries)", $"{w.Refused}", "");
            Row("  failed journeys", $"{w.Failed}", w.FirstFailure ?? "");
            Row("command latency p50 / p99", $"{P(w.Latency, 50):F0} / {P(w.Latency, 99):F0} ms", name == "full speed" ? "" : "p99 < 100 ms");
            Row("freshness (success -> on timeline) p50 / p99", $"{P(w.Freshness, 50):F0} / {P(w.Freshness, 99):F0} ms (n={w.Freshness.Count})",
                name == "full speed" ? "" : "p99 < 250 ms");
            Row("  followed but not seen within 30 s", $"{w.Unseen}", "");
            Row("committed transactions per accepted command", $"{w.Transactions / Math.Max(1, w.Accepted):F2}", "pg_stat_database xact_commit");
            foreach (var (service, cores) in w.Cpu) Row($"  CPU {service}", $"{cores * 100:F0} % of a core", "");
            Console.WriteLine("  rows written / scans per accepted command, by table (pg_stat_user_tables):");
            foreach (var (table, writes, reads) in w.Tables.OrderByDescending(t => t.Writes * 4 + t.Reads).Take(14))
                Console.WriteLine($"    {table,-52} {writes / (double)Math.Max(1, w.Accepted),6:F2} written {reads / (double)Math.Max(1, w.Accepted),6:F2} scans");
        }
        // Since each service started: the warm-up, both runs and anything before them on the same processes.
        foreach (var (service, mb) in ServiceProcesses.PeakMemory()) Row($"peak memory {service}", $"{mb:F0} MB", "< 300 MB");
        Console.WriteLine("  commands by kind (full-speed or first run):");
        foreach (var (kind, count) in runs[0].W.Kinds.OrderByDescending(k => k.Value).Take(25)) Console.WriteLine($"    {count,7}  {kind}");
    }

    public sealed record Window(double Seconds, long Accepted, long Refused, int Journeys, int Failed, string? FirstFailure, List<double> Latency,
        List<double> Freshness, int Unseen, long Transactions, IReadOnlyList<(string Service, double Cores)> Cpu, IReadOnlyDictionary<string, long> Kinds,
        IReadOnlyList<(string Table, long Writes, long Reads)> Tables)
    {
        public double Rate => Accepted / Seconds;
    }

    /// <summary>Journeys at the given concurrency for the duration; commands after the end are cut off (those journeys are not counted).</summary>
    private static async Task<Window> Drive(Measured measured, PlatformClient client, IReadOnlyList<Clinic> clinics,
        IReadOnlyDictionary<string, IReadOnlyList<HelpGroup>> groups, int concurrency, int seconds, double? pace, string connection, string run)
    {
        // Wait for the previous window's backlog (consumers, projections) to drain, so it is not measured here.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var commitsBefore = await Commits(connection);
        var tablesBefore = await Tables(connection);
        var cpuBefore = Cpu();
        var window = measured.Start(TimeSpan.FromSeconds(seconds), pace);
        var next = -1;
        var journeys = 0;
        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!window.Over)
            {
                var n = Interlocked.Increment(ref next);
                var journey = new Journey(client, clinics, groups, new Random(n * 7919 + 17), n, run);
                try { await journey.Run(); Interlocked.Increment(ref journeys); }
                catch (WindowOver) { }
                catch (Exception e) when (e is Refused or HttpRequestException or TaskCanceledException)
                {
                    if (e.InnerException is WindowOver || window.Over) continue;
                    failures.Enqueue(e.Message);
                }
            }
        }));
        var elapsed = window.Elapsed;
        var cpu = Cpu().Select(c => (c.Key, (c.Value - cpuBefore.GetValueOrDefault(c.Key)) / 100.0 / elapsed.TotalSeconds)).ToList();
        // The transactions the window's commands caused include the consumers' and forwarders' work after it: counted once
        // the followed commands are on the timeline.
        await window.Followed();
        var commits = await Commits(connection) - commitsBefore;
        var tables = (await Tables(connection)).Select(t => (t.Key, Writes: t.Value.Writes - tablesBefore.GetValueOrDefault(t.Key).Writes,
            Reads: t.Value.Reads - tablesBefore.GetValueOrDefault(t.Key).Reads)).Where(t => t.Writes + t.Reads > 0).ToList();
        return new Window(elapsed.TotalSeconds, window.Accepted, window.Refused, journeys, failures.Count, failures.FirstOrDefault()?[..Math.Min(120, failures.First().Length)],
            window.Latency.ToList(), window.Freshness.ToList(), window.Unseen, commits, cpu, window.Kinds, tables);
    }

    private static async Task<long> Commits(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", db);
        var commits = (long)(await query.ExecuteScalarAsync())!;
        return commits - 1; // this query's own transaction
    }

    /// <summary>Rows inserted, updated and deleted, and scans, per table since the statistics were reset.</summary>
    private static async Task<Dictionary<string, (long Writes, long Reads)>> Tables(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        // Statistics a backend has not flushed yet are not counted; they are flushed at least once a second.
        await Task.Delay(1100);
        await using var query = new NpgsqlCommand(
            "SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables", db);
        await using var rows = await query.ExecuteReaderAsync();
        var tables = new Dictionary<string, (long, long)>();
        while (await rows.ReadAsync()) tables[rows.GetString(0)] = (rows.GetInt64(1), rows.GetInt64(2));
        return tables;
    }

    /// <summary>User + system CPU ticks of each service process started by deploy/services.sh (its pid files).</summary>
    private static Dictionary<string, long> Cpu()
    {
        var ticks = new Dictionary<string, long>();
        var port = Environment.GetEnvironmentVariable("PORT_BASE");
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../deploy", port is null ? ".run" : $".run-{port}"));
        if (!Directory.Exists(dir)) return ticks;
        foreach (var pidFile in Directory.GetFiles(dir, "*.pid").Order())
        {
            var stat = $"/proc/{File.ReadAllText(pidFile).Trim()}/stat";
            if (!File.Exists(stat)) continue;
            var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ticks[Path.GetFileNameWithoutExtension(pidFile)] = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
        }
        return ticks;
    }

    private static void Row(string measure, string value, string target) => Console.WriteLine($"  {measure,-50} {value,18}  {target}");

    private static double P(List<double> samples, double p)
    {
        if (samples.Count == 0) return double.NaN;
        samples.Sort();
        return Stats.Percentile(samples, p);
    }

    private static string? Value(string[] args, string name, string? fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private sealed class WindowOver() : Exception("the measured window is over");

    /// <summary>One measured window: its clock, pace and figures.</summary>
    public sealed class MeasuredWindow(TimeSpan duration, double? pace)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _slots;
        private long _accepted;
        private long _refused;
        private int _unseen;
        public ConcurrentBag<double> Latency { get; } = new();
        public ConcurrentBag<double> Freshness { get; } = new();
        public ConcurrentBag<Task> Followers { get; } = new();
        public ConcurrentDictionary<string, long> Kinds { get; } = new();
        public bool Over => _clock.Elapsed >= duration;
        public TimeSpan Elapsed => _clock.Elapsed < duration ? _clock.Elapsed : duration;
        public long Accepted => Interlocked.Read(ref _accepted);
        public long Refused => Interlocked.Read(ref _refused);
        public int Unseen => _unseen;

        /// <summary>With a pace (commands/s over all journeys), each command waits for its slot on one shared schedule.</summary>
        public async Task Slot()
        {
            if (pace is not { } perSecond) return;
            var due = TimeSpan.FromSeconds(Interlocked.Increment(ref _slots) / perSecond);
            if (due > _clock.Elapsed) await Task.Delay(due - _clock.Elapsed);
        }

        public void Answered(string kind, bool success, double ms)
        {
            if (Over) return; // answered after the end: not in this window
            if (!success) { Interlocked.Increment(ref _refused); return; }
            Interlocked.Increment(ref _accepted);
            Latency.Add(ms);
            Kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        public void NotSeen() => Interlocked.Increment(ref _unseen);

        public Task Followed() => Task.WhenAll(Followers);
    }

    /// <summary>
    /// Times and counts every command the journeys send; follows every fourth assessment completion and urine screen to the
    /// patient's timeline (read as the clinic that sent the command) until it shows there.
    /// </summary>
    public sealed partial class Measured() : DelegatingHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 512 })
    {
        private MeasuredWindow? _window; // none while setting up: commands pass unmeasured
        private readonly ConcurrentDictionary<Guid, Guid> _patientOfAssessment = new();
        private readonly ConcurrentDictionary<(Guid Patient, string Kind), int> _expected = new();
        private long _followed;
        /// <summary>How long after the answer a follower polls finely (the half-rate target is a p99 below 250 ms).</summary>
        private const double FinePolling = 300;
        public Uri Timeline { get; set; } = null!;

        public MeasuredWindow Start(TimeSpan duration, double? pace) => _window = new MeasuredWindow(duration, pace);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var window = _window;
            if (request.Method == HttpMethod.Get || window is null) return await base.SendAsync(request, cancellationToken);
            if (window.Over) throw new WindowOver();
            await window.Slot();
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var ms = Stats.Ms(started);
            var path = request.RequestUri!.AbsolutePath;
            window.Answered($"{request.Method} {Ids().Replace(Dates().Replace(path, "{date}"), "{id}")} :{request.RequestUri.Port}", response.IsSuccessStatusCode, ms);
            if (response.IsSuccessStatusCode && !window.Over) await Follow(window, request, response, path, started);
            return response;
        }

        private async Task Follow(MeasuredWindow window, HttpRequestMessage request, HttpResponseMessage response, string path, long started)
        {
            if (AssessmentStarted().Match(path) is { Success: true } s &&
                JsonNode.Parse(await response.Content.ReadAsStringAsync())?["assessmentId"] is { } assessment)
                _patientOfAssessment[(Guid)assessment] = Guid.Parse(s.Groups[1].Value);
            var (patient, kind) = AssessmentCompleted().Match(path) is { Success: true } c && _patientOfAssessment.TryGetValue(Guid.Parse(c.Groups[1].Value), out var p)
                ? (p, "assessment-completed")
                : ScreenRecorded().Match(path) is { Success: true } u ? (Guid.Parse(u.Groups[1].Value), "urine-screen-recorded") : (Guid.Empty, "");
            if (patient == Guid.Empty) return;
            var expected = _expected.AddOrUpdate((patient, kind), 1, (_, n) => n + 1);
            if (Interlocked.Increment(ref _followed) % 4 != 0) return;
            var token = request.Headers.Authorization!;
            var answered = Stopwatch.GetTimestamp();
            window.Followers.Add(Task.Run(async () =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (DateTime.UtcNow < deadline)
                {
                    if (await Count(patient, kind, token) >= expected)
                    {
                        window.Freshness.Add(Stats.Ms(answered));
                        return;
                    }
                    // Every 5 ms while the answer is within the freshness target's range, then every 50 ms: a follower
                    // waiting seconds at full speed read the whole timeline ~100 times a second and was a large part of
                    // the Timeline's and PostgreSQL's load it measured.
                    await Task.Delay(Stats.Ms(answered) < FinePolling ? 5 : 50);
                }
                window.NotSeen();
            }));
        }

        private async Task<int> Count(Guid patient, string kind, AuthenticationHeaderValue token)
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(Timeline, $"patients/{patient}/timeline"));
            read.Headers.Authorization = token;
            using var response = await base.SendAsync(read, CancellationToken.None);
            if (!response.IsSuccessStatusCode) return 0;
            var view = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return view["entries"]!.AsArray().Count(e => (string?)e!["kind"] == kind);
        }

        [GeneratedRegex("^/patients/([0-9a-f-]{36})/assessments$")]
        private static partial Regex AssessmentStarted();

        [GeneratedRegex("^/assessments/([0-9a-f-]{36})/completion$")]
        private static partial Regex AssessmentCompleted();

        [GeneratedRegex("^/patients/([0-9a-f-]{36})/urine-screens$")]
        private static partial Regex ScreenRecorded();

        [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
        private static partial Regex Ids();

        [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
        private static partial Regex Dates();
    }
}
