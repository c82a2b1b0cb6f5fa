using Npgsql;

namespace Recovery.Benchmarks;

/// <summary>
/// The idle platform's running cost: the services up, no requests for the whole window. CPU per service process from
/// /proc/&lt;pid&gt;/stat (share of one core), resident memory, and what the services cost PostgreSQL meanwhile: the CPU
/// of the database's backends, its transactions per second and the tables they scan most (pg_stat_statements is not
/// loaded on the shared server here; the table counters say what the daemons read).
/// </summary>
public static class Idle
{
    private sealed record Snapshot(Dictionary<int, double> Cpu, long Transactions, Dictionary<string, long> Scans);

    public static async Task<int> Run(BenchmarkOptions options)
    {
        var services = ServiceProcesses.Running();
        if (services.Count == 0)
        {
            Console.Error.WriteLine("idle: no service processes found (start them with deploy/services.sh; PORT_BASE as it was started)");
            return 2;
        }
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
            ?? "Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery";
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        Console.WriteLine($"idle: {services.Count} service processes, {options.Seconds} s with no requests, database {db.Database}");

        var before = await Take(db, services);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        var after = await Take(db, services);
        var seconds = (double)options.Seconds;

        double Percent(double cpuSeconds) => 100 * cpuSeconds / seconds;
        Console.WriteLine();
        Console.WriteLine($"  {"process",-34} {"CPU % of one core",18} {"RSS MB",8} {"peak RSS MB",12}");
        var total = 0.0;
        foreach (var (service, pid) in services)
        {
            if (!before.Cpu.TryGetValue(pid, out var from) || !after.Cpu.TryGetValue(pid, out var to))
            {
                Console.WriteLine($"  {service,-34} {"exited",18}");
                continue;
            }
            total += to - from;
            Console.WriteLine($"  {service,-34} {Percent(to - from),17:F1}% {ServiceProcesses.StatusMb(pid, "VmRSS"),8:F0} " +
                              $"{ServiceProcesses.StatusMb(pid, "VmHWM"),12:F0}");
        }
        Console.WriteLine($"  {"all services",-34} {Percent(total),17:F1}%   target < 10 %");
        // Backends that lived through the whole window; a connection opened and closed meanwhile is not counted.
        var backends = before.Cpu.Keys.Where(p => services.All(s => s.Pid != p) && after.Cpu.ContainsKey(p)).ToList();
        var database = backends.Sum(p => after.Cpu[p] - before.Cpu[p]);
        Console.WriteLine($"  {$"PostgreSQL backends ({backends.Count})",-34} {Percent(database),17:F1}%");
        Console.WriteLine($"  database transactions/s {(after.Transactions - before.Transactions) / seconds,10:F1}");
        Console.WriteLine("  tables scanned most (scans/s):");
        foreach (var (table, scans) in after.Scans
                     .Select(t => (t.Key, t.Value - before.Scans.GetValueOrDefault(t.Key)))
                     .Where(t => t.Item2 > 0).OrderByDescending(t => t.Item2).Take(10))
            Console.WriteLine($"    {table,-52} {scans / seconds,8:F1}");
        return 0;
    }

    private static async Task<Snapshot> Take(NpgsqlConnection db, IReadOnlyList<(string Service, int Pid)> services)
    {
        var cpu = new Dictionary<int, double>();
        foreach (var (_, pid) in services)
            if (ServiceProcesses.CpuSeconds(pid) is { } s) cpu[pid] = s;
        await using (var backends = new NpgsqlCommand(
                         "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()", db))
        await using (var reader = await backends.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (ServiceProcesses.CpuSeconds(reader.GetInt32(0)) is { } s) cpu[reader.GetInt32(0)] = s;

        // The statistics collector lags a backend's counters by up to a second; a fresh snapshot per read.
        await using (var clear = new NpgsqlCommand("select pg_stat_clear_snapshot()", db)) await clear.ExecuteNonQueryAsync();
        await using var transactions = new NpgsqlCommand(
            "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()", db);
        var count = (long)(await transactions.ExecuteScalarAsync())!;

        var scans = new Dictionary<string, long>();
        await using (var tables = new NpgsqlCommand(
                         "select schemaname || '.' || relname, seq_scan + coalesce(idx_scan, 0) from pg_stat_user_tables", db))
        await using (var reader = await tables.ExecuteReaderAsync())
            while (await reader.ReadAsync()) scans[reader.GetString(0)] = reader.GetInt64(1);
        return new Snapshot(cpu, count, scans);
    }
}
