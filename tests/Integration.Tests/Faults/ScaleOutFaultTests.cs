using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>
/// The whole platform as a network runs it: two processes of every service (HotCold daemons, competing consumers), and clinicians
/// taking patients through assessment, detox, counseling and relapse tracking while, one after another, an instance of each care
/// service is killed with SIGKILL and restarted, RabbitMQ restarts, PostgreSQL stops (every service answers 503 at once) and
/// starts again, and both Timeline instances are killed (the first one restarted). Afterwards every
/// fact the four care stores hold about those patients is on the timeline exactly once, every accepted command is in its store,
/// and every refusal was a prompt 503 or a "not learned from the bus yet" rule.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Faults")] // runs service processes on fixed ports and restarts PostgreSQL and RabbitMQ
public sealed class ScaleOutFaultTests(ITestOutputHelper output)
{
    private const string Clinic = "clinic-scale-out";
    private static readonly string[] CareServices = ["Assessment", "Detox", "Counseling", "Relapse"];
    private static readonly string[] NotYetLearned = ["assessment-not-completed", "patient-not-registered", "patient-not-monitored"];

    [Fact]
    public async Task Two_instances_of_every_service_through_kills_and_restarts_of_each_part_lose_and_duplicate_nothing()
    {
        var instances = new Dictionary<string, ServiceProcess[]>();
        var port = 5211;
        foreach (var service in CareServices.Append("Timeline"))
            instances[service] = [new ServiceProcess(service, port++), new ServiceProcess(service, port++)];
        await using var all = new Processes(instances.Values.SelectMany(p => p));
        await Task.WhenAll(all.Select(p => p.Start()));

        var clinic = new Clinicians(instances, output);
        using var stop = new CancellationTokenSource();
        // Bounded: three clinicians, each stops at the signal (after the last fault) or after 100 patients.
        var flow = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var n = 0; n < 100 && !stop.IsCancellationRequested; n++) await clinic.Journey(Guid.CreateVersion7());
        })));

        await Task.Delay(2_000);
        // A dead gap in every store's event sequence, as a rolled-back append leaves, while every service's leader holds its lock:
        // each daemon must step over it (it once held every forwarder still behind other services' lock sessions).
        foreach (var schema in CareServices.Append("Timeline").Select(s => s.ToLowerInvariant()))
            await Platform.Execute($"select nextval('{schema}.mt_events_sequence')");
        await Task.Delay(2_000);
        // Each instance of each care service killed once (so every HotCold leader dies), the other instance serving meanwhile.
        foreach (var round in new[] { 0, 1 })
        {
            var victims = CareServices.Select(s => instances[s][round]).ToList();
            await Task.WhenAll(victims.Select(v => v.Kill()));
            await Task.Delay(2_000);
            await Task.WhenAll(victims.Select(v => v.Start()));
        }
        await Infrastructure.StopRabbitMq();
        await Task.Delay(3_000);
        await Infrastructure.StartRabbitMq();
        await Task.Delay(3_000);
        // PostgreSQL down: every service answers at once with 503 problem details, then recovers when it is back.
        await Infrastructure.StopPostgreSql();
        try { await ExpectPrompt503s(instances); }
        finally { await Infrastructure.StartPostgreSql(); }
        NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the server
        await Task.Delay(3_000);
        // Both Timeline instances die, one after the other; the first comes back and carries on alone (a restart under this load
        // takes a minute here, and the care services' restarts above already prove restarting).
        await instances["Timeline"][0].Kill();
        await Task.Delay(3_000);
        await instances["Timeline"][0].Start();
        await instances["Timeline"][1].Kill();
        await Task.Delay(3_000);
        output.WriteLine($"faults done while commands still flowed: {!flow.IsCompleted}");
        await stop.CancelAsync();
        await flow;

        var answers = clinic.Answers.ToList();
        output.WriteLine($"{clinic.Patients.Count} patients; answers: " +
                         string.Join(", ", answers.CountBy(a => a.Outcome).OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(clinic.Patients.Count >= 12, $"only {clinic.Patients.Count} journeys started");
        foreach (var service in CareServices)
            Assert.True(answers.Count(a => a.Service == service && a.Outcome == "accepted") >= 10, $"{service} accepted fewer than 10 commands");

        // Refusals were prompt 503s while a dependency was down, or facts not yet learned from the bus; never a 500, never a hang.
        var unexpected = answers.Where(a => a.Outcome.StartsWith("refused", StringComparison.Ordinal) && !a.AfterUnknown && !Transient(a.Outcome))
            .ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        var slowest503 = answers.Where(a => a.Outcome.StartsWith("refused 503", StringComparison.Ordinal)).Select(a => a.Milliseconds).DefaultIfEmpty(0).Max();
        Assert.True(slowest503 < 10_000, $"a 503 took {slowest503:F0} ms");

        // Every accepted command is in its service's store; a command with no answer may or may not be.
        var patients = clinic.Patients.Keys.ToArray();
        foreach (var service in CareServices)
        {
            var accepted = answers.Count(a => a.Service == service && a.Outcome == "accepted");
            var stored = await EventsIn(service, patients);
            Assert.True(stored >= accepted, $"{service}: {accepted} commands accepted but {stored} events stored");
        }

        // Every fact the care stores hold about these patients reaches the timeline, exactly once, and nothing else does.
        var expected = await Ids(string.Join(" union all ", CareServices.Select(s =>
            $"select id from {s.ToLowerInvariant()}.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)")), patients);
        await Eventually.Until(() => Ids("select id from timeline.mt_events where stream_id = any(@ids)", patients),
            ids => ids.Count >= expected.Count, TimeSpan.FromSeconds(120),
            ids => $"{ids.Count} of {expected.Count} facts on the timeline; missing: {string.Join(", ", expected.Except(ids).Take(20))}",
            "every fact of the care stores on the timeline", TimeSpan.FromMilliseconds(500));
        // A late duplicate would be a page a forwarder publishes again: once each has checkpointed its store's last event, none is to come.
        foreach (var service in CareServices) await Platform.ForwarderCaughtUp(service.ToLowerInvariant(), TimeSpan.FromSeconds(60));
        var recorded = await Ids("select id from timeline.mt_events where stream_id = any(@ids)", patients);
        Assert.Equal(expected.Count, expected.Distinct().Count());
        Assert.Empty(expected.Except(recorded));
        Assert.Empty(recorded.Except(expected));
        Assert.Equal(recorded.Count, recorded.Distinct().Count());
        output.WriteLine($"{expected.Count} facts from the four care stores, each on the timeline once");
    }

    /// <summary>With PostgreSQL stopped, a command or read on each instance of each service is a 503 problem within 10 s.</summary>
    private static async Task ExpectPrompt503s(Dictionary<string, ServiceProcess[]> instances)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(Clinic));
        var someone = Guid.CreateVersion7();
        var probes = new Dictionary<string, Func<string, Task<HttpResponseMessage>>>
        {
            ["Assessment"] = url => http.Post($"{url}/patients", Requests.Patient(Requests.NewRecordNumber())),
            ["Detox"] = url => http.GetAsync($"{url}/detox-plans/{someone}"),
            ["Counseling"] = url => http.GetAsync($"{url}/counseling-sessions/{someone}"),
            ["Relapse"] = url => http.GetAsync($"{url}/patients/{someone}/monitoring"),
            ["Timeline"] = url => http.GetAsync($"{url}/patients/{someone}/timeline"),
        };
        foreach (var (service, probe) in probes)
            foreach (var instance in instances[service])
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await probe(instance.Url);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{service} {instance.Url} with PostgreSQL down: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"{service} took {Stopwatch.GetElapsedTime(started)}");
            }
    }

    /// <summary>A refusal worth trying again: a dependency was down (503) or a fact was not yet learned from the bus.</summary>
    private static bool Transient(string outcome) =>
        outcome.StartsWith("refused 503", StringComparison.Ordinal) || NotYetLearned.Any(rule => outcome.EndsWith(rule, StringComparison.Ordinal));

    private static Task<long> EventsIn(string service, Guid[] patients) => Platform.Count(
        $"select count(*) from {service.ToLowerInvariant()}.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)",
        ("clinic", Clinic), ("ids", patients));

    private static async Task<List<Guid>> Ids(string sql, Guid[] patients)
    {
        await using var connection = new NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("clinic", Clinic);
        command.Parameters.AddWithValue("ids", patients);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private sealed record Answer(Guid Patient, string Service, string Command, string Outcome, double Milliseconds, bool AfterUnknown)
    {
        public override string ToString() => $"{Service} {Command} for {Patient}: {Outcome} in {Milliseconds:F0} ms{(AfterUnknown ? " (retry after no answer)" : "")}";
    }

    /// <summary>Clinicians at one clinic, each request sent to either instance of the service as a load balancer would.</summary>
    private sealed class Clinicians(Dictionary<string, ServiceProcess[]> instances, ITestOutputHelper output)
    {
        private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
        private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
        private readonly HttpClient _http = CreateClient(null);
        private readonly HttpClient _approver = CreateClient($"second-clinician@{Clinic}");

        public ConcurrentQueue<Answer> Answers { get; } = new();
        public ConcurrentDictionary<Guid, bool> Patients { get; } = new();

        private static HttpClient CreateClient(string? user)
        {
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(Clinic, user: user));
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
                var instance = instances[service][(attempt + Random.Shared.Next(2)) % 2];
                var started = Stopwatch.GetTimestamp();
                string outcome;
                try
                {
                    using var response = await http.Post(instance.Url + path, body);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode)
                    {
                        Answers.Enqueue(new Answer(patient, service, command, "accepted", Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown));
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
                    Answers.Enqueue(new Answer(patient, service, command, "no answer", Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown));
                    afterUnknown = true;
                    continue;
                }
                Answers.Enqueue(new Answer(patient, service, command, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds, afterUnknown));
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
    private sealed class Processes(IEnumerable<ServiceProcess> processes) : List<ServiceProcess>(processes), IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var process in this) await process.DisposeAsync();
        }
    }
}
