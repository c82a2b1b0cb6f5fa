extern alias assessment;
using System.Net;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;

namespace Recovery.Integration.Tests;

/// <summary>
/// The forwarder publishes from the event store's committed events and resumes from its checkpoint:
/// a fact appended while it was stopped is published once after restart, and never again.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ForwarderTests(Platform platform)
{
    private const string Exchange = "recovery.assessment.v1.patient-registered";

    [Fact]
    public async Task An_event_appended_while_the_forwarder_was_stopped_is_published_exactly_once_after_restart()
    {
        // A schema of its own, so the shared Assessment host's forwarder cannot publish this test's events.
        var schema = "assessment_forwarder_" + Guid.NewGuid().ToString("N")[..8];
        await using var listener = await ExchangeListener.Start(Exchange);
        try
        {
            Guid patientId;
            await using (var stopped = Host(schema, forwarding: false))
            {
                var response = await Platform.ClinicClient(stopped, "clinic-east").Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                patientId = (await response.Json())["patientId"]!.GetValue<Guid>();
                // Forwarding off, the host runs no daemon: nothing in it can publish the fact, however long it waits.
                Assert.Null(stopped.Services.GetService<IProjectionCoordinator>());
                Assert.Equal(0, listener.CountFor(patientId));
            }

            await using (var restarted = Host(schema, forwarding: true))
            {
                _ = restarted.CreateClient();
                await Eventually.Until(() => listener.CountFor(patientId), published => published >= 1,
                    condition: $"the restarted forwarder to publish patient {patientId}");
                // Once its checkpoint is past the fact, the forwarder will not publish it again.
                await Platform.ForwarderCaughtUp(schema);
                Assert.Equal(1, listener.CountFor(patientId));
            }

            // Its checkpoint is stored: a third start publishes nothing again. A new fact for it to forward shows when it has read
            // everything after its checkpoint, which would have included the first fact had it started over.
            await using (var again = Host(schema, forwarding: true))
            {
                var next = await Platform.ClinicClient(again, "clinic-east").Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
                Assert.Equal(HttpStatusCode.Created, next.StatusCode);
                await Platform.ForwarderCaughtUp(schema);
                Assert.Equal(1, listener.CountFor(patientId));
            }

            var timeline = await platform.TimelineWhen(patientId, "clinic-east", t => t["entryCount"]!.GetValue<int>() >= 1);
            Assert.Equal(1, timeline!["entryCount"]!.GetValue<int>());
        }
        finally
        {
            await Platform.Execute($"drop schema if exists {schema}, {schema}_keys cascade");
        }
    }

    [Fact]
    public async Task A_commit_wakes_the_idle_forwarder_without_waiting_for_its_next_poll()
    {
        // The idle daemon polls only every ten minutes here: within the test, only the commit's wake-up can publish.
        var schema = "assessment_wakeup_" + Guid.NewGuid().ToString("N")[..8];
        await using var listener = await ExchangeListener.Start(Exchange);
        try
        {
            await using var host = Host(schema, forwarding: true, slowPollingMs: 600_000);
            var client = Platform.ClinicClient(host, "clinic-east");
            async Task<Guid> Register()
            {
                var response = await client.Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                return (await response.Json())["patientId"]!.GetValue<Guid>();
            }

            var first = await Register();
            await Eventually.Until(() => listener.CountFor(first), published => published >= 1, condition: $"the forwarder to publish patient {first}");
            await Platform.ForwarderCaughtUp(schema);
            // Past its busy cadence (50 ms polls while events arrive), the daemon is in its idle wait.
            await Task.Delay(TimeSpan.FromSeconds(1));

            var second = await Register();
            await Eventually.Until(() => listener.CountFor(second), published => published >= 1, within: TimeSpan.FromSeconds(20),
                condition: $"the commit to wake the idle forwarder and publish patient {second}");
        }
        finally
        {
            await Platform.Execute($"drop schema if exists {schema}, {schema}_keys cascade");
        }
    }

    private static ServiceHost<assessment::Program> Host(string schema, bool forwarding, int? slowPollingMs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventStore:Schema"] = schema,
            ["Forwarder:Enabled"] = forwarding ? "true" : "false",
        };
        if (slowPollingMs is { } ms) settings["EventStore:SlowPollingMs"] = ms.ToString();
        return new(settings);
    }
}
