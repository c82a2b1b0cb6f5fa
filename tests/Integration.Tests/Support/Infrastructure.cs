using System.Diagnostics;

namespace Recovery.Integration.Tests;

/// <summary>
/// The real RabbitMQ and PostgreSQL that deploy/infra.sh runs, stopped and started by the fault tests (as root).
/// FAULTS_RABBITMQ_NODE (an Erlang node name) and FAULTS_POSTGRESQL_CLUSTER ("15 faults") point them at a broker and a
/// server of their own instead, so the fault tests can run beside other work on the default pair (docs/operations.md).
/// </summary>
public static class Infrastructure
{
    private static readonly string RabbitMq =
        $"rabbitmqctl -q -n {Environment.GetEnvironmentVariable("FAULTS_RABBITMQ_NODE") ?? "rabbit@localhost"}";
    private static readonly string PostgreSql =
        $"pg_ctlcluster {Environment.GetEnvironmentVariable("FAULTS_POSTGRESQL_CLUSTER") ?? "$(ls /etc/postgresql | sort -V | tail -1) main"}";

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
