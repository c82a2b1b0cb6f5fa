namespace Recovery.Benchmarks;

/// <summary>
/// The service processes deploy/services.sh started: their pid files in deploy/.run/ (deploy/.run-PORT_BASE/ for a
/// copy on other ports), and what /proc says about each.
/// </summary>
public static class ServiceProcesses
{
    /// <summary>Linux reports process times in USER_HZ ticks, 100 a second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static IReadOnlyList<(string Service, int Pid)> Running()
    {
        var portBase = Environment.GetEnvironmentVariable("PORT_BASE") is { Length: > 0 } b && b != "5100" ? $"-{b}" : "";
        var run = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, $"../../../../../deploy/.run{portBase}"));
        if (!Directory.Exists(run)) return [];
        return Directory.GetFiles(run, "*.pid").Order()
            .Select(f => (Path.GetFileNameWithoutExtension(f), int.Parse(File.ReadAllText(f).Trim())))
            .Where(p => Directory.Exists($"/proc/{p.Item2}"))
            .ToList();
    }

    /// <summary>CPU time the process has used so far (user + system, all threads), in seconds; null once it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis. utime and stime are
        // fields 14 and 15, so the 12th and 13th after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    /// <summary>Peak resident memory (VmHWM) of each service started by deploy/services.sh.</summary>
    public static IEnumerable<(string Service, double Mb)> PeakMemory() =>
        Running().Select(p => (p.Service, StatusMb(p.Pid, "VmHWM") ?? double.NaN));

    /// <summary>A memory line of /proc/&lt;pid&gt;/status in MB: VmRSS now, VmHWM the peak.</summary>
    public static double? StatusMb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is not null && double.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb / 1024 : null;
        }
        catch (IOException) { return null; }
    }
}
