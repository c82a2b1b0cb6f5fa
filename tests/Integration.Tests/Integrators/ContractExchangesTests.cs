extern alias assessment;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// An integrator can bind to any contract exchange once the platform has started, even one nothing was ever published
/// to: every service declares every contract exchange, and binds the history stream to it, at its start.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ContractExchangesTests
{
    // Bound to nothing but the history stream (no service consumes it), so it can be deleted under the running platform.
    private const string Unheard = "recovery.sharing.v1.consent-revoked";

    [Fact]
    public async Task A_service_that_never_publishes_an_exchange_declares_it_and_binds_the_history_to_it_at_its_start()
    {
        await using (var admin = await Broker.Connect())
        await using (var channel = await admin.CreateChannelAsync())
            await channel.ExchangeDeleteAsync(Unheard);
        Assert.DoesNotContain(Unheard, await HistoryBindings());

        // Assessment publishes no sharing event; its own schema and no forwarder keep it from publishing anything.
        var schema = "assessment_topology_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using var assessment = new ServiceHost<assessment::Program>(new Dictionary<string, string?>
            {
                ["EventStore:Schema"] = schema,
                ["Forwarder:Enabled"] = "false",
            });
            _ = assessment.CreateClient();

            var bound = await HistoryBindings();
            var missing = ContractEvents.All.Select(t => ContractExchangeNames.NameOf(t)!).Except(bound).ToList();
            Assert.True(missing.Count == 0, $"the history stream is not bound to {string.Join(", ", missing)}");
            await using var integrator = await Broker.Connect();
            await using var passive = await integrator.CreateChannelAsync();
            foreach (var exchange in ContractEvents.All.Select(t => ContractExchangeNames.NameOf(t)!))
                await passive.ExchangeDeclarePassiveAsync(exchange);
        }
        finally
        {
            await Platform.Execute($"drop schema if exists {schema}, {schema}_keys cascade");
        }
    }

    /// <summary>The exchanges the history stream is bound to, as the broker's management API lists them.</summary>
    private static async Task<List<string>> HistoryBindings()
    {
        using var admin = Broker.Management();
        var bindings = JsonNode.Parse(await admin.GetStringAsync(
            $"api/queues/{Uri.EscapeDataString(Broker.VirtualHost)}/{EventHistoryOptions.Stream}/bindings"))!.AsArray();
        return bindings.Select(b => b!["source"]!.GetValue<string>()).Where(s => s.Length > 0).ToList();
    }
}
