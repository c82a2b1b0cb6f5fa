using System.Diagnostics;

namespace Recovery.Integration.Tests;

/// <summary>The real RabbitMQ and PostgreSQL that deploy/infra.sh runs, stopped and started by the fault tests (as root).</summary>
public static class Infrastructure
{
    private const string RabbitMq = "rabbitmqctl -q -n rabbit@localhost";
    private const string PostgreSql = "pg_ctlcluster $(ls /etc/postgresql | sort -V | tail -1) main";

    public static Task StopRabbitMq() => Shell($"{RabbitMq} stop_app");

    public static Task StartRabbitMq() => Shell($"{RabbitMq} start_app && {RabbitMq} await_startup");

    public static Task StopPostgreSql() => Shell($"{PostgreSql} stop");

    public static Task StartPostgreSql() => Shell($"{PostgreSql} start");

    public static Task RestartPostgreSql() => Shell($"{PostgreSql} restart");

    private static async Task Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{command}: {await process.StandardError.ReadToEndAsync()}");
    }
}
