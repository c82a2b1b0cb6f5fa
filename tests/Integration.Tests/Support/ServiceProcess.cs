using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Recovery.Integration.Tests;

/// <summary>Real service processes for fault tests: its own collection, so no in-process host competes for the queues.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "service processes";
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
        _log.Clear(); // a failure message shows this start's lines, not the last life's
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
        var process = _process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
            {
                Assert.False(process.HasExited, $"{service} on {Url} exited during start-up: {string.Join("\n", _log)}");
                try
                {
                    return (await http.GetAsync($"{Url}/health/ready")).StatusCode.ToString();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return e.Message;
                }
            }, health => health == nameof(HttpStatusCode.OK), TimeSpan.FromSeconds(180),
            health => $"{health}; the process wrote:\n{string.Join("\n", _log)}", $"{service} on {Url} to be ready",
            TimeSpan.FromMilliseconds(250));
    }

    // The last lines the process wrote, for a failure message.
    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log) _file?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
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
