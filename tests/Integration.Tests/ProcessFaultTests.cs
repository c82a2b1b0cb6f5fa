using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Recovery.BuildingBlocks.Http;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>Real service processes for fault tests: its own collection, so no in-process host competes for the queues.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "service processes";
}

/// <summary>
/// Scale-out and crashes with real processes: two instances each of Assessment and Timeline (the async daemon in HotCold mode,
/// competing consumers on the timeline queue), each killed with SIGKILL and restarted while registrations flow. Afterwards every
/// registration the Assessment store holds is on the timeline exactly once, and nothing the store lacks is there.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessFaultTests(ITestOutputHelper output)
{
    private const string Clinic = "clinic-crashes";

    [Fact]
    public async Task Killing_and_restarting_instances_of_a_care_service_and_the_timeline_loses_and_duplicates_nothing()
    {
        await using var assessment1 = new ServiceProcess("Assessment", 5201);
        await using var assessment2 = new ServiceProcess("Assessment", 5202);
        await using var timeline1 = new ServiceProcess("Timeline", 5203);
        await using var timeline2 = new ServiceProcess("Timeline", 5204);
        await Task.WhenAll(assessment1.Start(), assessment2.Start(), timeline1.Start(), timeline2.Start());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Token(Clinic));
        var sent = new ConcurrentDictionary<Guid, string>(); // patient -> outcome: "created", "refused <status>", "no answer"
        using var stop = new CancellationTokenSource();
        var flow = Task.Run(async () =>
        {
            // Bounded: at most 1,000 commands, alternating between the two instances.
            for (var i = 0; i < 1_000 && !stop.IsCancellationRequested; i++)
            {
                var instance = i % 2 == 0 ? assessment1 : assessment2;
                var patient = Guid.CreateVersion7();
                try
                {
                    var response = await http.Post($"{instance.Url}/patients", Requests.Patient(Requests.NewRecordNumber(), patient));
                    sent[patient] = response.StatusCode == HttpStatusCode.Created ? "created" : $"refused {(int)response.StatusCode}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    sent[patient] = "no answer"; // the instance died with the request in flight, or was down
                }
                await Task.Delay(15);
            }
        });

        await Task.Delay(2_000);
        await assessment1.Kill();   // one of the two holds the forwarder's leadership: both die once
        await Task.Delay(2_000);
        await timeline1.Kill();
        await assessment1.Start();
        await Task.Delay(2_000);
        await assessment2.Kill();
        await Task.Delay(2_000);
        await timeline1.Start();
        await assessment2.Start();
        await timeline2.Kill();
        await Task.Delay(3_000);
        await stop.CancelAsync();
        await flow;

        var created = sent.Where(kv => kv.Value == "created").Select(kv => kv.Key).ToArray();
        output.WriteLine(string.Join(", ", sent.Values.CountBy(v => v).Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.True(created.Length > 50, $"only {created.Length} registrations accepted");

        // What the Assessment store committed (whatever the caller heard) must reach the timeline exactly once; nothing else may.
        var all = sent.Keys.ToArray();
        var committed = await Platform.Count(
            "select count(*) from assessment.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)",
            ("clinic", Clinic), ("ids", all));
        Assert.True(committed >= created.Length, $"{committed} committed < {created.Length} answered created");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long onTimeline;
        while ((onTimeline = await Platform.Count("select count(*) from timeline.mt_events where stream_id = any(@ids)", ("ids", all))) < committed
               && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        await Task.Delay(1_000); // a late duplicate would show now
        Assert.Equal(committed, await Platform.Count("select count(*) from timeline.mt_events where stream_id = any(@ids)", ("ids", all)));
        Assert.Equal(committed, await Platform.Count("select count(distinct stream_id) from timeline.mt_events where stream_id = any(@ids)", ("ids", all)));
        Assert.Equal(created.Length, await Platform.Count(
            "select count(distinct stream_id) from timeline.mt_events where stream_id = any(@ids)", ("ids", created)));
        Assert.All(sent.Values.Where(v => v.StartsWith("refused", StringComparison.Ordinal)), v => Assert.Equal("refused 503", v));
    }
}

/// <summary>A service run as its own process from the build output, as deploy/services.sh runs it, on a loopback port.</summary>
public sealed class ServiceProcess(string service, int port) : IAsyncDisposable
{
    private Process? _process;
    private readonly ConcurrentQueue<string> _log = new();
    private StreamWriter? _file;

    public string Url { get; } = $"http://127.0.0.1:{port}";

    public async Task Start()
    {
        // tests/Integration.Tests/bin/<Configuration>/net10.0/ -> services/<Service>/bin/<Configuration>/net10.0/
        var build = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var dll = Path.Combine(Repository.Root, "services", service, "bin", build.Parent!.Name, build.Name, $"Recovery.{service}.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", Url])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Platform"] = Platform.ConnectionString;
        start.Environment["EventStore__DaemonMode"] = "HotCold";
        foreach (var (key, value) in TestSecrets.Settings) start.Environment[key.Replace(":", "__")] = value;
        Directory.CreateDirectory(HostLogs.Directory);
        _file ??= new StreamWriter(Path.Combine(HostLogs.Directory, $"{service}-{port}.log"), append: true) { AutoFlush = true };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"{service} on {Url} exited during start-up: {string.Join("\n", _log)}");
            try
            {
                if ((await http.GetAsync($"{Url}/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        Assert.Fail($"{service} on {Url} not ready within 60 s: {string.Join("\n", _log)}");
    }

    // The last lines the process wrote, for a failure message.
    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log) _file?.WriteLine(line);
        _log.Enqueue(line);
        while (_log.Count > 40) _log.TryDequeue(out _);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — a crash.</summary>
    public async Task Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
        lock (_log)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
