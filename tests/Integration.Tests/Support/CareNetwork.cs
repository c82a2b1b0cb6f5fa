using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>
/// A network's care under faults, as the scale-out and cluster tests drive and check it: clinicians taking patients through
/// assessment, detox, counseling and relapse tracking against service processes, and the reconciliation afterwards.
/// </summary>
public static class CareNetwork
{
    public static readonly string[] CareServices = ["Assessment", "Detox", "Counseling", "Relapse"];
    private static readonly string[] NotYetLearned = ["assessment-not-completed", "patient-not-registered", "patient-not-monitored"];

    /// <summary>A refusal worth trying again: a dependency was down (503) or a fact was not yet learned from the bus.</summary>
    public static bool Transient(string outcome) =>
        outcome.StartsWith("refused 503", StringComparison.Ordinal) || NotYetLearned.Any(rule => outcome.EndsWith(rule, StringComparison.Ordinal));

    /// <summary>
    /// After the faults: refusals were prompt 503s or facts not yet learned; every accepted command is in its service's store; every
    /// fact the four care stores hold about <paramref name="patients"/> is on the timeline exactly once by event id, and nothing else
    /// is. Each store is read in its service's own database (<see cref="Platform.ConnectionStringOf"/>).
    /// </summary>
    public static async Task Reconcile(string clinic, Guid[] patients, IReadOnlyList<Answer> answers, ITestOutputHelper output)
    {
        var unexpected = answers.Where(a => a.Outcome.StartsWith("refused", StringComparison.Ordinal) && !a.AfterUnknown && !Transient(a.Outcome))
            .ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        var slowest503 = answers.Where(a => a.Outcome.StartsWith("refused 503", StringComparison.Ordinal)).Select(a => a.Milliseconds).DefaultIfEmpty(0).Max();
        Assert.True(slowest503 < 10_000, $"a 503 took {slowest503:F0} ms");

        // Every accepted command is in its service's store; a command with no answer may or may not be.
        foreach (var service in CareServices)
        {
            var schema = service.ToLowerInvariant();
            var accepted = answers.Count(a => a.Service == service && a.Outcome == "accepted");
            var stored = await Platform.CountIn(schema,
                $"select count(*) from {schema}.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)",
                ("clinic", clinic), ("ids", patients));
            Assert.True(stored >= accepted, $"{service}: {accepted} commands accepted but {stored} events stored");
        }

        // Every fact the care stores hold about these patients reaches the timeline, exactly once, and nothing else does.
        var expected = new List<Guid>();
        foreach (var schema in CareServices.Select(s => s.ToLowerInvariant()))
            expected.AddRange(await Ids(schema,
                $"select id from {schema}.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)", clinic, patients));
        const string onTimeline = "select id from timeline.mt_events where stream_id = any(@ids)";
        await Eventually.Until(() => Ids("timeline", onTimeline, clinic, patients),
            ids => ids.Count >= expected.Count, TimeSpan.FromSeconds(120),
            ids => $"{ids.Count} of {expected.Count} facts on the timeline; missing: {string.Join(", ", expected.Except(ids).Take(20))}",
            "every fact of the care stores on the timeline", TimeSpan.FromMilliseconds(500));
        // A late duplicate would be a page a forwarder publishes again: once each has checkpointed its store's last event, none is to come.
        foreach (var service in CareServices) await Platform.ForwarderCaughtUp(service.ToLowerInvariant(), TimeSpan.FromSeconds(60));
        var recorded = await Ids("timeline", onTimeline, clinic, patients);
        Assert.Equal(expected.Count, expected.Distinct().Count());
        Assert.Empty(expected.Except(recorded));
        Assert.Empty(recorded.Except(expected));
        Assert.Equal(recorded.Count, recorded.Distinct().Count());
        output.WriteLine($"{expected.Count} facts from the four care stores, each on the timeline once");
    }

    private static async Task<List<Guid>> Ids(string schema, string sql, string clinic, Guid[] patients)
    {
        await using var connection = new NpgsqlConnection(Platform.ConnectionStringOf(schema));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("clinic", clinic);
        command.Parameters.AddWithValue("ids", patients);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    public sealed record Answer(Guid Patient, string Service, string Command, string Outcome, double Milliseconds, bool AfterUnknown, TimeSpan At)
    {
        public override string ToString() => $"{Service} {Command} for {Patient}: {Outcome} in {Milliseconds:F0} ms{(AfterUnknown ? " (retry after no answer)" : "")}";
    }

    /// <summary>Clinicians at one clinic, each request sent to either instance of the service as a load balancer would.</summary>
    public sealed class Clinicians(string clinic, Dictionary<string, ServiceProcess[]> instances, ITestOutputHelper output)
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
        private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
        private readonly HttpClient _http = CreateClient(clinic, null);
        private readonly HttpClient _approver = CreateClient(clinic, $"second-clinician@{clinic}");

        public ConcurrentQueue<Answer> Answers { get; } = new();
        public ConcurrentDictionary<Guid, bool> Patients { get; } = new();

        /// <summary>Time since these clinicians started: the clock of <see cref="Answer.At"/>.</summary>
        public TimeSpan Elapsed => _since.Elapsed;

        private static HttpClient CreateClient(string clinic, string? user)
        {
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(clinic, user: user));
            return http;
        }

        /// <summary>One patient from registration to a urine screen after detox; a step that cannot be done gives up the journey.</summary>
        public async Task Journey(Guid patient)
        {
            Patients[patient] = true;
            var start = Now.AddDays(-10);
            if (await Send(patient, "Assessment", "register", "/patients", Requests.Patient(Requests.NewRecordNumber(), patient)) is null) return;
            var assessment = await Send(patient, "Assessment", "start assessment", $"/patients/{patient}/assessments", new { });
            if (assessment?["assessmentId"] is not { } assessmentId) return;
            var at = $"/assessments/{assessmentId}";
            if (await Send(patient, "Assessment", "criteria", $"{at}/criteria", Requests.Criteria("craving", "tolerance", "withdrawal", "activities-given-up")) is null) return;
            foreach (var test in new[] { "hiv", "hepatitis-b", "hepatitis-c" })
                if (await Send(patient, "Assessment", "lab", $"{at}/lab-results", Requests.Lab(test, "negative")) is null) return;
            if (await Send(patient, "Assessment", "cardiovascular", $"{at}/cardiovascular-status", Requests.Cardiovascular) is null) return;
            if (await Send(patient, "Assessment", "withdrawal score", $"{at}/withdrawal-scores", Requests.Cows()) is null) return;
            if (await Send(patient, "Assessment", "complete", $"{at}/completion", new { }) is null) return;

            var counseling = await Send(patient, "Counseling", "schedule session", "/counseling-sessions", new
            {
                patientId = patient, scheduledFor = start.AddDays(1), counselorId = "counselor-1", plannedDurationMinutes = 50,
            });
            if (counseling?["sessionId"] is { } session)
                await Send(patient, "Counseling", "attendance", $"/counseling-sessions/{session}/attendance",
                    new { attendedAt = start.AddDays(1), durationMinutes = 45 });

            var drafted = await Send(patient, "Detox", "draft plan", "/detox-plans", new
            {
                patientId = patient, medication = "buprenorphine", draftedAt = start.AddDays(-2),
                schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
            });
            if (drafted?["planId"] is not { } plan) return;
            var detox = $"/detox-plans/{plan}";
            if (await Send(patient, "Detox", "approve", $"{detox}/approval", new { approvedAt = start.AddDays(-1) }, _approver) is null) return;
            if (await Send(patient, "Detox", "last use", $"{detox}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }) is null) return;
            if (await Send(patient, "Detox", "withdrawal check", $"{detox}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Requests.CowsItems() }) is null) return;
            if (await Send(patient, "Detox", "dose", $"{detox}/doses", new { medication = "buprenorphine", doseMg = 8, givenAt = start }) is null) return;
            if (await Send(patient, "Detox", "complete", $"{detox}/completion", new { completedOn = Today.AddDays(-2) }) is null) return;

            await Send(patient, "Relapse", "urine screen", $"/patients/{patient}/urine-screens", new
            {
                collectedOn = Today.AddDays(-1), results = new Dictionary<string, string> { ["opiates"] = "negative", ["fentanyl"] = "negative" },
            });
        }

        /// <summary>
        /// Sends until the command is answered for good: a 503, no answer (a killed instance, a timeout) or a fact not yet learned from
        /// the bus is tried again for up to 60 s. After a try with no answer, a refusal may mean the earlier try took effect.
        /// </summary>
        private async Task<JsonNode?> Send(Guid patient, string service, string command, string path, object body, HttpClient? client = null)
        {
            var http = client ?? _http;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var afterUnknown = false;
            for (var attempt = 0; DateTime.UtcNow < deadline; attempt++)
            {
                var instance = instances[service][(attempt + Random.Shared.Next(2)) % instances[service].Length];
                var started = Stopwatch.GetTimestamp();
                var at = _since.Elapsed;
                string outcome;
                try
                {
                    using var response = await http.Post(instance.Url + path, body);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode)
                    {
                        Answers.Enqueue(new Answer(patient, service, command, "accepted", Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown, at));
                        await Task.Delay(20); // a steady stream, not a flood: ten processes share 2 cores and restarts must get CPU
                        return JsonNode.Parse(text) ?? new JsonObject();
                    }
                    var rule = JsonNode.Parse(text)?["rule"]?.GetValue<string>();
                    outcome = $"refused {(int)response.StatusCode}{(rule is null ? "" : " " + rule)}";
                }
                catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    await Task.Delay(100); // that instance is down: the balancer tries the other
                    continue;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Answers.Enqueue(new Answer(patient, service, command, "no answer", Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown, at));
                    afterUnknown = true;
                    continue;
                }
                Answers.Enqueue(new Answer(patient, service, command, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown, at));
                if (Transient(outcome))
                {
                    await Task.Delay(200);
                    continue;
                }
                if (afterUnknown && outcome is "refused 409 clinic-record-number-taken") return new JsonObject(); // the earlier try registered
                output.WriteLine($"gave up {service} {command} for {patient}: {outcome}");
                return null;
            }
            output.WriteLine($"gave up {service} {command} for {patient}: no success within 60 s");
            return null;
        }
    }

    /// <summary>Disposes (kills) every process, whatever happened.</summary>
    public sealed class Processes(IEnumerable<ServiceProcess> processes) : List<ServiceProcess>(processes), IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var process in this) await process.DisposeAsync();
        }
    }
}
