using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>
/// The platform's promise under faults: every command that got a success answer reaches the timeline exactly once, and a
/// command refused while a dependency was down left nothing anywhere. RabbitMQ and PostgreSQL (the real ones the deploy scripts
/// run) are restarted while registrations flow; the services are the in-process hosts of the other tests.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Faults")] // restarts the shared PostgreSQL and RabbitMQ: --filter "Category!=Faults" leaves it out
public class FaultTests(Platform platform, ITestOutputHelper output)
{
    private const string Clinic = "clinic-faults";

    [Fact]
    public async Task Restarting_RabbitMQ_and_PostgreSQL_while_commands_flow_loses_and_duplicates_nothing()
    {
        var client = platform.ClinicClient(Clinic);
        client.Timeout = TimeSpan.FromSeconds(20);
        var accepted = new ConcurrentBag<Guid>();
        var refused = new ConcurrentDictionary<Guid, int>();
        using var stop = new CancellationTokenSource();

        // A steady stream of registrations, bounded: it stops when told, or after 1,500 commands.
        var flow = Task.Run(async () =>
        {
            for (var i = 0; i < 1_500 && !stop.IsCancellationRequested; i++)
            {
                var patient = Guid.CreateVersion7();
                var response = await client.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient));
                if (response.StatusCode == HttpStatusCode.Created) accepted.Add(patient);
                else refused[patient] = (int)response.StatusCode;
                await Task.Delay(20);
            }
        });

        await Task.Delay(1_500);
        await Infrastructure.StopRabbitMq();
        await Task.Delay(3_000);
        await Infrastructure.StartRabbitMq();
        await Task.Delay(2_000);
        await Infrastructure.RestartPostgreSql();
        NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the server
        await platform.AllReady(); // each service notices the restart and drops its dead pooled connections
        await Task.Delay(3_000);
        await stop.CancelAsync();
        await flow;

        output.WriteLine($"accepted {accepted.Count}, refused {refused.Count} ({string.Join(", ", refused.Values.CountBy(s => s))})");
        Assert.True(accepted.Count > 50, $"only {accepted.Count} commands accepted");
        // While PostgreSQL was down, commands were refused with 503, never a 500 or a hang.
        Assert.All(refused.Values, status => Assert.Equal(503, status));

        // Every accepted registration reaches the timeline, once.
        var ids = accepted.ToArray();
        var recorded = await Eventually.Until(
            () => Platform.Count("select count(distinct stream_id) from timeline.mt_events where stream_id = any(@ids)", ("ids", ids)),
            count => count >= ids.Length, TimeSpan.FromSeconds(90), count => $"{count} of {ids.Length} accepted registrations on the timeline",
            "every accepted registration on the timeline", TimeSpan.FromMilliseconds(500));
        Assert.Equal(ids.Length, recorded);
        Assert.Equal(ids.Length, await Platform.Count("select count(*) from timeline.mt_events where stream_id = any(@ids)", ("ids", ids)));

        // A refused command left nothing: no registration in Assessment, nothing on the timeline.
        var refusedIds = refused.Keys.ToArray();
        Assert.Equal(0, await Platform.Count("select count(*) from timeline.mt_events where stream_id = any(@ids)", ("ids", refusedIds)));
        Assert.Equal(0, await Platform.Count(
            "select count(*) from assessment.mt_events where tenant_id = @clinic and (data->>'patientId')::uuid = any(@ids)",
            ("clinic", Clinic), ("ids", refusedIds)));
    }
}
