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
/// starts again, one instance of each care service is killed again (every leader's lock died with the server), and both
/// Timeline instances are killed (the first one restarted). Afterwards every
/// fact the four care stores hold about those patients is on the timeline exactly once, every accepted command is in its store,
/// and every refusal was a prompt 503 or a "not learned from the bus yet" rule.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Faults")] // runs service processes on fixed ports and restarts PostgreSQL and RabbitMQ
public sealed class ScaleOutFaultTests(ITestOutputHelper output)
{
    private const string Clinic = "clinic-scale-out";
    private static readonly string[] CareServices = CareNetwork.CareServices;

    [Fact]
    public async Task Two_instances_of_every_service_through_kills_and_restarts_of_each_part_lose_and_duplicate_nothing()
    {
        var instances = new Dictionary<string, ServiceProcess[]>();
        var port = 5211;
        foreach (var service in CareServices.Append("Timeline"))
            instances[service] = [new ServiceProcess(service, port++), new ServiceProcess(service, port++)];
        await using var all = new CareNetwork.Processes(instances.Values.SelectMany(p => p));
        // The first instance of every service, then the second: two replicas starting at once on a fresh database queue on
        // Marten's schema lock, and on a loaded machine the loser gave up after its 60 s (a supervisor would restart it).
        foreach (var round in new[] { 0, 1 })
            await Task.WhenAll(instances.Values.Select(p => p[round].Start()));

        var clinic = new CareNetwork.Clinicians(Clinic, instances, output);
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
        // Every leader's lock died with the server, unnoticed by its daemon (DaemonLeadership): one instance of each care service
        // killed now must leave the other forwarding (once, two stale leaders raced and the survivor's forwarder had stopped).
        var afterRestart = CareServices.Select(s => instances[s][0]).ToList();
        await Task.WhenAll(afterRestart.Select(v => v.Kill()));
        await Task.Delay(2_000);
        await Task.WhenAll(afterRestart.Select(v => v.Start()));
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
        // Every accepted command is in its store, and every fact of the care stores is on the timeline exactly once.
        await CareNetwork.Reconcile(Clinic, clinic.Patients.Keys.ToArray(), answers, output);
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
}
