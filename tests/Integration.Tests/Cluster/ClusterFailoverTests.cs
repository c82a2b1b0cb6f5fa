using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>
/// The platform on deploy/cluster.sh's deployment: a 3-node RabbitMQ cluster with quorum queues, a PostgreSQL primary with a
/// streaming standby, each service on its own database, two processes of every care service and one Timeline. Under a steady stream of commands
/// across the four care services, in turn: a RabbitMQ node is killed (-9) and later restarted, the PostgreSQL primary is stopped
/// and the standby promoted, and each care service's instances are killed one after the other (so every HotCold leader dies).
/// Afterwards nothing accepted is lost and nothing is on the timeline twice (<see cref="CareNetwork.Reconcile"/>), and the test
/// prints what each fault cost: time to recover and commands refused.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Cluster")] // needs deploy/cluster.sh's brokers: `deploy/cluster.sh test` runs it
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private const string Clinic = "clinic-cluster";
    private static readonly string[] CareServices = CareNetwork.CareServices;
    private static readonly string[] ServiceQueues = ["assessment", "detox", "counseling", "relapse", "timeline"];

    [ClusterFact]
    public async Task Through_a_broker_node_crash_a_database_failover_and_leader_kills_nothing_accepted_is_lost_or_duplicated()
    {
        var cluster = ClusterFactAttribute.Script;
        Assert.Equal(3, (Environment.GetEnvironmentVariable("RabbitMq__Nodes") ?? "").Split(',').Length);
        Assert.Equal("true", Environment.GetEnvironmentVariable("RabbitMq__QuorumQueues"));
        foreach (var schema in CareServices.Append("Timeline").Select(s => s.ToLowerInvariant()))
            Assert.Contains($"Database=recovery_{schema};", Platform.ConnectionStringOf(schema));

        var instances = new Dictionary<string, ServiceProcess[]>();
        var port = 5501;
        foreach (var service in CareServices)
            instances[service] = [new ServiceProcess(service, port++), new ServiceProcess(service, port++)];
        // One Timeline: the faults here are the brokers' and the care services' leaders (ScaleOutFaultTests kills Timelines).
        instances["Timeline"] = [new ServiceProcess("Timeline", port)];
        await using var all = new CareNetwork.Processes(instances.Values.SelectMany(p => p));
        // A service's instances at a time: nine processes starting at once on 2 shared cores missed 180 s readiness waits.
        foreach (var service in instances.Values) await Task.WhenAll(service.Select(p => p.Start()));

        // Every service queue is a quorum queue with a leader on one of the three nodes (error queues appear with their first fault).
        var leaders = await Eventually.Until(() => QueueLeaders(cluster!), now => ServiceQueues.All(now.ContainsKey), TimeSpan.FromSeconds(180),
            now => string.Join(", ", now.Select(q => $"{q.Key}@{q.Value.Leader}")), "the service queues listed", TimeSpan.FromSeconds(1));
        foreach (var queue in ServiceQueues)
        {
            Assert.True(leaders.TryGetValue(queue, out var leader), $"queue {queue} is missing: {string.Join(", ", leaders.Keys)}");
            Assert.True(leader.Type == "quorum", $"queue {queue} is {leader.Type}, not quorum");
        }

        var clinic = new CareNetwork.Clinicians(Clinic, instances, output);
        using var stop = new CancellationTokenSource();
        // Bounded: two clinicians, each stops at the signal (after the last fault) or after 80 patients. A paced stream (each command
        // 20 ms after the last answer) on 2 cores shared by ten service processes, six broker and database servers.
        var flow = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var n = 0; n < 80 && !stop.IsCancellationRequested; n++) await clinic.Journey(Guid.CreateVersion7());
        })));
        var faults = new List<Fault>();

        // Steady state first: the clustered throughput of this load.
        var calmFrom = clinic.Elapsed;
        await Task.Delay(15_000);
        var calm = clinic.Elapsed - calmFrom;
        var calmAccepted = clinic.Answers.Count(a => a.Outcome == "accepted" && a.At >= calmFrom);

        // 1. The node leading the timeline's queue dies (kill -9); the queues keep (or elect) their leaders on the other two.
        var victim = leaders["timeline"].Leader;
        var node = int.Parse(victim["cluster".Length..victim.IndexOf('@')]);
        var killedAt = clinic.Elapsed;
        await Shell($"{cluster} kill-rabbit {node}");
        // Recovered when a new fact crosses the bus; the leaders are read meanwhile (the broker CLI is slow right after a death).
        var crossed = NewFactOnTimeline(instances, "after a broker node died");
        var elected = await Eventually.Until(() => QueueLeaders(cluster!),
            now => ServiceQueues.All(q => now.TryGetValue(q, out var l) && l.Leader != victim), TimeSpan.FromSeconds(180),
            now => string.Join(", ", now.Select(q => $"{q.Key}@{q.Value.Leader}")), $"every service queue led by a node other than {victim}",
            TimeSpan.FromMilliseconds(500));
        faults.Add(new Fault($"RabbitMQ node {victim} killed (-9)", killedAt, killedAt + await crossed));
        output.WriteLine($"leaders after {victim} died: {string.Join(", ", ServiceQueues.Select(q => $"{q}@{elected[q].Leader}"))}");
        await Task.Delay(5_000);
        await Shell($"{cluster} start-rabbit {node}");
        await Task.Delay(5_000);

        // 2. The PostgreSQL primary stops and the standby is promoted: meanwhile a command is accepted or promptly refused (503),
        // never left hanging; then commands flow again,
        // on the same service processes (their multi-host connection strings find the new primary).
        var failoverAt = clinic.Elapsed;
        var switching = Shell($"{cluster} failover");
        var (refused, firstWriteAfter) = await ProbeThroughFailover(instances, switching);
        await switching;
        output.WriteLine($"failover: {refused} registrations refused with 503 while the primary changed");
        NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the old primary
        await NewFactOnTimeline(instances, "after the failover");
        faults.Add(new Fault("PostgreSQL primary stopped, standby promoted", failoverAt, failoverAt + firstWriteAfter));
        await Task.Delay(5_000);

        // 3. Each instance of each care service killed (so every HotCold leader dies), the other instance serving meanwhile.
        foreach (var round in new[] { 0, 1 })
        {
            var killAt = clinic.Elapsed;
            var victims = CareServices.Select(s => instances[s][round]).ToList();
            await Task.WhenAll(victims.Select(v => v.Kill()));
            await NewFactOnTimeline(instances, $"after killing instance {round + 1} of every care service");
            faults.Add(new Fault($"instance {round + 1} of every care service killed (-9)", killAt, clinic.Elapsed));
            await Task.WhenAll(victims.Select(v => v.Start()));
        }
        output.WriteLine($"faults done while commands still flowed: {!flow.IsCompleted}");
        await stop.CancelAsync();
        await flow;

        var answers = clinic.Answers.ToList();
        output.WriteLine($"{clinic.Patients.Count} patients; answers: " +
                         string.Join(", ", answers.CountBy(a => a.Outcome).OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine($"steady clustered load: {calmAccepted} commands accepted in {calm.TotalSeconds:F1} s = {calmAccepted / calm.TotalSeconds:F1}/s");
        output.WriteLine("| fault | recovered in | commands refused (503) | no answer |");
        foreach (var fault in faults)
        {
            var during = answers.Where(a => a.At >= fault.At && a.At <= fault.Recovered).ToList();
            output.WriteLine($"| {fault.What} | {(fault.Recovered - fault.At).TotalSeconds:F1} s | " +
                             $"{during.Count(a => a.Outcome.StartsWith("refused 503", StringComparison.Ordinal))} | {during.Count(a => a.Outcome == "no answer")} |");
        }
        Assert.True(clinic.Patients.Count >= 8, $"only {clinic.Patients.Count} journeys started");
        foreach (var service in CareServices)
            Assert.True(answers.Count(a => a.Service == service && a.Outcome == "accepted") >= 10, $"{service} accepted fewer than 10 commands");
        await CareNetwork.Reconcile(Clinic, clinic.Patients.Keys.ToArray(), answers, output);
    }

    private sealed record Fault(string What, TimeSpan At, TimeSpan Recovered);

    private sealed record QueueLeader(string Type, string Leader);

    /// <summary>Each queue's type and leader; none while the CLI cannot answer (a slow CLI on a loaded machine, an election), for a wait to retry.</summary>
    private async Task<Dictionary<string, QueueLeader>> QueueLeaders(string cluster)
    {
        var (exit, listed, error) = await Run($"{cluster} leaders");
        if (exit != 0)
        {
            output.WriteLine($"{cluster} leaders: exit {exit}: {error}");
            return [];
        }
        return listed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('\t'))
        .Where(columns => columns.Length == 3)
        .ToDictionary(columns => columns[0], columns => new QueueLeader(columns[1], columns[2]));
    }

    /// <summary>
    /// While the failover runs: a registration on each Assessment instance every 200 ms, each answered within 10 s with 201 or a
    /// 503 problem (the primary away: refused promptly, nothing written), until one is accepted after the failover command ended
    /// (bounded: 90 s). Returns how many were refused and when (since the start) the first write after the switch was accepted.
    /// </summary>
    private async Task<(int Refused, TimeSpan FirstWriteAfter)> ProbeThroughFailover(Dictionary<string, ServiceProcess[]> instances, Task switching)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(Clinic));
        var started = Stopwatch.StartNew();
        var refused = 0;
        while (true)
        {
            if (started.Elapsed > TimeSpan.FromSeconds(90)) Assert.Fail($"no registration was accepted within 90 s of the failover ({refused} refused)");
            foreach (var instance in instances["Assessment"])
            {
                var switched = switching.IsCompleted;
                HttpStatusCode status;
                try
                {
                    using var response = await http.Post($"{instance.Url}/patients", Requests.Patient(Requests.NewRecordNumber()));
                    status = response.StatusCode;
                    if (status == HttpStatusCode.ServiceUnavailable)
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
                catch (TaskCanceledException)
                {
                    Assert.Fail($"{instance.Url} did not answer within 10 s during the failover (a 503 is due at once)");
                    throw;
                }
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{instance.Url}: {(int)status} during the failover");
                if (status == HttpStatusCode.ServiceUnavailable) refused++;
                else if (switched)
                {
                    output.WriteLine($"failover: first registration accepted after the switch at {started.Elapsed.TotalSeconds:F1} s");
                    return (refused, started.Elapsed);
                }
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A patient registered now reaches the timeline: commands are accepted, forwarded, carried by the bus and consumed. Returns how long it took.</summary>
    private async Task<TimeSpan> NewFactOnTimeline(Dictionary<string, ServiceProcess[]> instances, string when)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(Clinic));
        var patient = Guid.CreateVersion7();
        var started = Stopwatch.StartNew();
        // Either instance may be the one down; a 503 or no answer is tried again (bounded by the wait).
        await Eventually.Until(async () =>
            {
                foreach (var instance in instances["Assessment"])
                    try
                    {
                        using var response = await http.Post($"{instance.Url}/patients", Requests.Patient(Requests.NewRecordNumber(), patient));
                        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict) return true;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                return false;
            }, registered => registered, TimeSpan.FromSeconds(60), condition: $"a registration accepted {when}", every: TimeSpan.FromMilliseconds(200));
        await Eventually.Until(() => Platform.CountIn("timeline", "select count(*) from timeline.mt_events where stream_id = @patient", ("patient", patient)),
            facts => facts >= 1, TimeSpan.FromSeconds(90), condition: $"the registration {when} on the timeline", every: TimeSpan.FromMilliseconds(200));
        output.WriteLine($"{when}: a new registration reached the timeline in {started.Elapsed.TotalSeconds:F1} s");
        return started.Elapsed;
    }

    private static async Task<string> Shell(string command)
    {
        var (exit, stdout, stderr) = await Run(command);
        Assert.True(exit == 0, $"{command}: exit {exit}: {stderr}");
        return stdout;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>
/// A test of deploy/cluster.sh's deployment: run by `deploy/cluster.sh test`, which sets CLUSTER_SCRIPT and the cluster's settings;
/// elsewhere (the README's test command, CI) it is reported skipped, with the command that runs it.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public static string Script => Environment.GetEnvironmentVariable("CLUSTER_SCRIPT") ?? "";

    public ClusterFactAttribute()
    {
        if (Script.Length == 0) Skip = "needs the cluster deployment: run `bash deploy/cluster.sh test`";
    }
}
