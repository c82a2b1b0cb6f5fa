extern alias timeline;
using System.Diagnostics;
using System.Net.Http.Headers;
using JasperFx;
using Marten;
using Npgsql;
using Recovery.BuildingBlocks.Http;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using timeline::Recovery.Timeline.Analytics;
using timeline::Recovery.Timeline.PatientTimelines;
using Weasel.Core;

namespace Recovery.Benchmarks;

/// <summary>
/// Analytics at scale: seeds the timeline's store of its own database with synthetic journeys, through the timeline's own
/// recording code (each fact as <see cref="PatientTimeline.Record"/> stores it, each patient's outcomes as
/// <see cref="PatientOutcomes.Record"/> folds them, with their episode cohorts and journey clinics), written with Marten's
/// bulk insert; then times each analyst endpoint of a Timeline running on that database (p50/p99 over several calls), with
/// a plain count over the entries of the same run beside them.
/// <c>analytics --seed 100000 [--reuse] [--calls 7] [--save DIR] [--only a,b] [--timeline URL]</c>; the connection string names the seed database
/// (<c>ConnectionStrings__Platform</c>; the database is created when missing).
/// </summary>
public static class Analytics
{
    private static readonly string[] Clinics = ["clinic-porto", "clinic-lisboa", "clinic-coimbra", "clinic-braga", "clinic-faro", "clinic-evora",
        "clinic-aveiro", "clinic-leiria"];
    private static readonly string[] Medications = ["methadone", "buprenorphine", "extended-release-naltrexone"];

    public static async Task Run(BenchmarkOptions options, string[] args, AccessTokens tokens)
    {
        var patients = int.Parse(Option(args, "--seed") ?? "100000");
        var calls = int.Parse(Option(args, "--calls") ?? "7");
        // Each endpoint's last answer to a file of this folder, to compare two builds' answers byte for byte.
        var save = Option(args, "--save");
        if (save is not null) Directory.CreateDirectory(save);
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
            ?? throw new InvalidOperationException("ConnectionStrings__Platform must name the seed database");
        await CreateDatabase(connection);
        await using var store = DocumentStore.For(o =>
        {
            o.Connection(connection);
            o.DatabaseSchemaName = "timeline";
            o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            o.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            TimelineStorage.Configure(o);
            EpisodeCohorts.Configure(o);
            o.Schema.For<StoredEntry>();
            // The outcomes as the Timeline maps them: the document of an async projection of the patient streams.
            o.Events.StreamIdentity = JasperFx.Events.StreamIdentity.AsGuid;
            o.Projections.Add<PatientOutcomesProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Async);
        });

        var seeded = await Scalar(connection, "select count(*) from pg_tables where schemaname = 'timeline' and tablename = 'mt_doc_patientoutcomes'") == 0 ? 0
            : await Scalar(connection, "select count(*) from timeline.mt_doc_patientoutcomes");
        if (args.Contains("--reuse") && seeded >= patients)
            Console.WriteLine($"analytics: reusing {seeded:N0} seeded patients");
        else
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Console.WriteLine($"analytics: seeding {patients:N0} patients into {new NpgsqlConnectionStringBuilder(connection).Database}");
            foreach (var table in new[] { "mt_doc_storedentry", "mt_doc_patientoutcomes", EpisodeCohorts.Table, TimelineStorage.JourneyClinicTable })
                await Execute(connection, $"truncate timeline.{table}");
            var clock = Stopwatch.StartNew();
            var facts = await Seed(store, connection, patients);
            Console.WriteLine($"  seeded {patients:N0} patients, {facts:N0} facts in {clock.Elapsed.TotalSeconds:F0} s ({facts / clock.Elapsed.TotalSeconds:F0} facts/s)");
            await Execute(connection, $"vacuum analyze timeline.mt_doc_storedentry, timeline.mt_doc_patientoutcomes, timeline.{EpisodeCohorts.Table}, timeline.journey_clinic");
        }

        // The raw figure of this run: a plain count over every entry, and the same over the episode cohorts.
        var raw = new List<double>();
        var rawCohorts = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await Scalar(connection, "select count(*) from timeline.mt_doc_storedentry");
            raw.Add(Stats.Ms(started));
            started = Stopwatch.GetTimestamp();
            await Scalar(connection, $"select count(*) from timeline.{EpisodeCohorts.Table}");
            rawCohorts.Add(Stats.Ms(started));
        }
        Console.WriteLine($"  store: {await Scalar(connection, "select count(*) from timeline.mt_doc_patientoutcomes"):N0} patients, " +
                          $"{await Scalar(connection, "select count(*) from timeline.mt_doc_storedentry"):N0} entries, " +
                          $"{await Scalar(connection, $"select count(*) from timeline.{EpisodeCohorts.Table}"):N0} episodes");

        using var http = new HttpClient { BaseAddress = options.TimelineUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(null, Roles.Analyst, "benchmark-analyst"));
        string[] endpoints =
        [
            "retention", "retention?clinic=clinic-porto", "relapse-survival", "induction-withdrawal", "screen-positivity",
            "relapse-definitions/survival", "relapse-definitions/comparison", "relapse-definitions/comparison?clinic=clinic-porto",
            "use-patterns?from=2026-06-01",
            "journeys?pageSize=100", "journeys?page=500&pageSize=100", "journeys?clinic=clinic-porto&pageSize=100",
        ];
        Console.WriteLine();
        Console.WriteLine($"  {"measure",-52} {"p50 ms",10} {"p99 ms",10} {"bytes",10}");
        Row("raw PostgreSQL select count(*) over the entries", raw, 0);
        Row("raw PostgreSQL select count(*) over the episode cohorts", rawCohorts, 0);
        // --only a,b: the endpoints whose path starts with one of these (to time a few again).
        var only = Option(args, "--only")?.Split(',');
        foreach (var endpoint in endpoints.Where(e => only is null || only.Any(o => e.StartsWith(o, StringComparison.Ordinal))))
        {
            var samples = new List<double>();
            var bytes = 0;
            for (var i = 0; i < calls; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"analytics/{endpoint}");
                var body = await response.Content.ReadAsStringAsync();
                samples.Add(Stats.Ms(started));
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {endpoint}: {(int)response.StatusCode} {body}");
                bytes = body.Length;
                if (save is not null) await File.WriteAllTextAsync(Path.Combine(save, string.Concat(endpoint.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_')) + ".json"), body);
            }
            Row($"GET /analytics/{endpoint}", samples, bytes);
        }
    }

    private static void Row(string measure, List<double> samples, int bytes)
    {
        samples.Sort();
        Console.WriteLine($"  {measure,-52} {Stats.Percentile(samples, 50),10:F0} {Stats.Percentile(samples, 99),10:F0} {bytes,10}");
    }

    /// <summary>Journeys in batches of patients, each batch recorded and bulk inserted; two batches at a time.</summary>
    private static async Task<long> Seed(IDocumentStore store, string connection, int patients)
    {
        const int batch = 1000;
        var facts = 0L;
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var from = Interlocked.Add(ref next, batch) - batch;
                if (from >= patients) return;
                var count = Math.Min(batch, patients - from);
                var entries = new List<StoredEntry>(count * 60);
                var outcomes = new List<PatientOutcomes>(count);
                var pairs = new HashSet<(Guid, string)>();
                for (var i = from; i < from + count; i++)
                {
                    var patient = PatientIdOf(i);
                    PatientOutcomes? folded = null;
                    foreach (var (eventId, fact) in Journey(i, patient))
                    {
                        // What the recorder's two projections do with each fact.
                        var change = PatientTimeline.Record(patient, eventId, fact);
                        if (change.Appended is { } entry) { entries.Add(entry); pairs.Add((patient, entry.ClinicId)); }
                        folded = PatientOutcomes.Record(folded, patient, eventId, fact);
                    }
                    outcomes.Add(folded!);
                }
                await store.BulkInsertAsync(entries, BulkInsertMode.InsertsOnly, 5000);
                await store.BulkInsertAsync(outcomes, BulkInsertMode.InsertsOnly, 1000);
                await CopyCohorts(connection, outcomes.SelectMany(o => o.Episodes).Select(EpisodeCohort.Of));
                await CopyPairs(connection, pairs);
                var total = Interlocked.Add(ref facts, entries.Count);
                if ((from / batch) % 10 == 9)
                    Console.WriteLine($"  {from + count,9:N0} patients  {total,11:N0} facts  {clock.Elapsed.TotalSeconds,5:F0} s");
            }
        })));
        return facts;
    }

    /// <summary>The episode cohorts as the projection writes them (<see cref="EpisodeCohorts.Values"/>), copied in.</summary>
    private static async Task CopyCohorts(string connection, IEnumerable<EpisodeCohort> cohorts)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var copy = await db.BeginBinaryImportAsync(
            $"copy timeline.{EpisodeCohorts.Table} ({string.Join(", ", EpisodeCohorts.Columns.Select(c => c.Name))}) from stdin (format binary)");
        foreach (var cohort in cohorts)
        {
            await copy.StartRowAsync();
            foreach (var (value, column) in EpisodeCohorts.Values(cohort).Zip(EpisodeCohorts.Columns))
                if (value is null) await copy.WriteNullAsync();
                else await copy.WriteAsync(value, column.Type);
        }
        await copy.CompleteAsync();
    }

    private static async Task CopyPairs(string connection, IEnumerable<(Guid Patient, string Clinic)> pairs)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var copy = await db.BeginBinaryImportAsync($"copy timeline.{TimelineStorage.JourneyClinicTable} (patient_id, clinic_id) from stdin (format binary)");
        foreach (var (patient, clinic) in pairs)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(patient, NpgsqlTypes.NpgsqlDbType.Uuid);
            await copy.WriteAsync(clinic, NpgsqlTypes.NpgsqlDbType.Text);
        }
        await copy.CompleteAsync();
    }

    private static Guid PatientIdOf(int i) => Id(i, 0, 0);

    /// <summary>Ids from the journey's number, a kind (0 patient, 1 episode, 2 fact, 3 other) and a running number: the same every seed.</summary>
    private static Guid Id(int number, int kind, int n) => new($"{number:x8}-{kind:x4}-7000-8000-{n:x12}");

    /// <summary>
    /// One synthetic journey, the same for the same number: registration and assessment, a detox plan (one of three
    /// medications) approved, COWS around the first dose, daily doses with some missed, counseling sessions, completion or
    /// dropout, weekly urine screens after completion, for some a relapse, and for some of those a return to treatment with a
    /// second episode (sometimes at another clinic). Started over 2020-2026 at one of eight clinics.
    /// </summary>
    private static IEnumerable<(Guid EventId, IPatientEvent Fact)> Journey(int number, Guid patient)
    {
        var random = new Random(number);
        var clinic = Clinics[random.Next(Clinics.Length)];
        var at = new DateTimeOffset(2020, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(random.Next(0, 6 * 365)).AddMinutes(random.Next(0, 600));
        var sequence = 0;
        var other = 0;
        (Guid, IPatientEvent) Fact(IPatientEvent fact) => (Id(number, 2, sequence++), fact);
        yield return Fact(new PatientRegistered(patient, clinic, null, at, patient, random.Next(2) == 0 ? "female" : "male", 1950 + random.Next(55)));
        var episodes = 0;
        while (episodes++ < 2)
        {
            var episode = Id(number, 1, episodes);
            var assessment = Id(number, 3, other++);
            var plan = Id(number, 3, other++);
            var medication = Medications[random.Next(Medications.Length)];
            yield return Fact(new AssessmentStarted(patient, clinic, episode, at = at.AddMinutes(10), assessment));
            yield return Fact(new OudCriteriaRecorded(patient, clinic, episode, at = at.AddMinutes(20), assessment,
                ["craving", "tolerance", "withdrawal", "time-spent"], false, 4, "moderate", "F11.20"));
            foreach (var test in new[] { "hiv", "hepatitis-b", "hepatitis-c" })
                yield return Fact(new LabResultRecorded(patient, clinic, episode, at = at.AddMinutes(15), assessment, test,
                    random.Next(8) == 0 ? "positive" : "negative", DateOnly.FromDateTime(at.UtcDateTime)));
            var intake = 8 + random.Next(20);
            yield return Fact(new WithdrawalScored(patient, clinic, episode, at = at.AddMinutes(15), assessment, at, Cows(intake), intake, Band(intake)));
            yield return Fact(new AssessmentCompleted(patient, clinic, episode, at = at.AddMinutes(10), assessment, "moderate", 4, "F11.20",
                "negative", "negative", "negative", "normal", 420, intake));
            yield return Fact(new DetoxPlanDrafted(patient, clinic, episode, at = at.AddHours(20), plan, medication,
                [new DosePhase("induction", 3, 30m), new DosePhase("taper", 11, 10m)], "dr-ada"));
            yield return Fact(new DetoxPlanApproved(patient, clinic, episode, at = at.AddHours(2), plan, "dr-bo"));
            var firstDose = at.AddHours(14);
            foreach (var hours in new[] { -0.5, 2, 6, 24 })
            {
                var total = Math.Max(0, intake - (int)(hours * random.Next(1, 4) / 6));
                var scoredAt = firstDose.AddHours(hours);
                yield return Fact(new DetoxWithdrawalChecked(patient, clinic, episode, scoredAt.AddMinutes(5), plan, scoredAt, Cows(total), total, Band(total)));
            }
            var days = 7 + random.Next(15);
            var droppedOut = random.Next(4) == 0;
            var lastDay = droppedOut ? random.Next(2, days) : days;
            for (var day = 0; day < lastDay; day++)
            {
                var givenAt = firstDose.AddDays(day);
                if (day > 0 && random.Next(10) == 0) yield return Fact(new DoseMissed(patient, clinic, episode, givenAt.AddHours(12), plan, DateOnly.FromDateTime(givenAt.UtcDateTime)));
                else yield return Fact(new DoseGiven(patient, clinic, episode, givenAt.AddMinutes(2), plan, medication, day < 3 ? 30m : 10m, givenAt, "rn-cy", day == 0, false));
                if (day % 7 == 3)
                    yield return Fact(new CounselingSessionAttended(patient, clinic, episode, givenAt.AddHours(3), Id(number, 3, other++), givenAt.AddHours(2), 50));
            }
            at = firstDose.AddDays(lastDay);
            var endedOn = DateOnly.FromDateTime(at.UtcDateTime);
            if (droppedOut)
            {
                yield return Fact(new DetoxDroppedOut(patient, clinic, episode, at, plan, medication, endedOn, "stopped-attending", lastDay));
                yield break;
            }
            yield return Fact(new DetoxCompleted(patient, clinic, episode, at, plan, medication, endedOn, days));
            var monitoring = Id(number, 3, other++);
            yield return Fact(new MonitoringStarted(patient, clinic, episode, at = at.AddHours(1), monitoring, plan, medication, "completed", endedOn,
                medication == "extended-release-naltrexone" ? null : medication, "ctn-0094-return-to-use@1"));
            var weeks = 4 + random.Next(23);
            var risk = random.Next(5, 35);
            var positives = 0;
            DateOnly? relapsedOn = null;
            for (var week = 0; week < weeks; week++)
            {
                var collectedOn = endedOn.AddDays(7 * week + random.Next(7));
                var collectedAt = new DateTimeOffset(collectedOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
                var notCollected = random.Next(12) == 0;
                var positive = !notCollected && random.Next(100) < risk;
                yield return Fact(new UrineScreenRecorded(patient, clinic, episode, collectedAt, monitoring, collectedOn,
                    notCollected ? new Dictionary<string, string> { ["opiates"] = "not-collected" }
                        : new Dictionary<string, string> { ["opiates"] = "negative", ["fentanyl"] = positive ? "positive" : "negative" },
                    positive, notCollected));
                positives = positive ? positives + 1 : 0;
                if (positives == 2 && relapsedOn is null)
                {
                    relapsedOn = collectedOn.AddDays(-7);
                    yield return Fact(new RelapseDetected(patient, clinic, episode, collectedAt.AddHours(1), monitoring, "ctn-0094-return-to-use@1",
                        relapsedOn.Value, "two consecutive weekly screens positive for fentanyl"));
                    break;
                }
            }
            if (relapsedOn is null || random.Next(3) != 0 || episodes == 2) yield break;
            // A return to treatment: a second episode, at another clinic for one in three.
            var returnedTo = random.Next(3) == 0 ? Clinics[random.Next(Clinics.Length)] : clinic;
            var next = Id(number, 1, episodes + 1);
            at = new DateTimeOffset(relapsedOn.Value.AddDays(random.Next(7, 60)).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            yield return Fact(new ReturnedToTreatment(patient, clinic, episode, at, monitoring, next, returnedTo));
            clinic = returnedTo;
        }
    }

    private static readonly string[] CowsItems = ["resting-pulse-rate", "sweating", "restlessness", "pupil-size", "bone-or-joint-aches",
        "runny-nose-or-tearing", "gi-upset", "tremor", "yawning", "anxiety-or-irritability", "gooseflesh-skin"];

    /// <summary>Items adding up to the total (each at most 4, as near as the scale allows).</summary>
    private static Dictionary<string, int> Cows(int total)
    {
        var items = new Dictionary<string, int>();
        foreach (var item in CowsItems)
        {
            var score = Math.Min(4, total);
            items[item] = score;
            total -= score;
        }
        return items;
    }

    private static string Band(int total) => total switch { < 5 => "none", < 13 => "mild", < 25 => "moderate", < 37 => "moderately-severe", _ => "severe" };

    private static async Task CreateDatabase(string connection)
    {
        var name = new NpgsqlConnectionStringBuilder(connection).Database!;
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" }.ConnectionString;
        if (await Scalar(admin, $"select count(*) from pg_database where datname = '{name}'") == 0)
            await Execute(admin, $"create database \"{name}\"");
    }

    private static async Task<long> Scalar(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task Execute(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
