using Microsoft.Extensions.Configuration;
using Npgsql;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.BuildingBlocks.Tests;

/// <summary>How a deployment names its brokers and databases: one node and one database by default, a cluster by setting.</summary>
public class DeploymentSettingsTests
{
    [Fact]
    public void Without_a_node_list_the_bus_has_the_one_host() =>
        Assert.Equal([("10.1.0.5", (ushort)5673)], new RabbitMqOptions { Host = "10.1.0.5", Port = 5673 }.Endpoints());

    [Fact]
    public void A_node_list_gives_every_node_in_order_with_its_port_or_the_default_one() =>
        Assert.Equal([("127.0.0.1", (ushort)5681), ("127.0.0.1", (ushort)5682), ("rabbit-3", (ushort)5672)],
            new RabbitMqOptions { Nodes = "127.0.0.1:5681, 127.0.0.1:5682,rabbit-3" }.Endpoints());

    [Theory]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData(":5672")]
    public void A_node_that_is_not_host_and_port_is_refused_by_name(string node)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new RabbitMqOptions { Nodes = node }.Endpoints());
        Assert.Contains(node, refused.Message);
    }

    [Fact]
    public void Quorum_queues_are_off_unless_a_deployment_turns_them_on() => Assert.False(new RabbitMqOptions().QuorumQueues);

    [Fact]
    public void A_service_with_its_own_connection_string_uses_it_and_the_others_share_the_platform_one()
    {
        var configuration = Settings(("ConnectionStrings:Platform", "Database=recovery"), ("ConnectionStrings:Detox", "Database=recovery_detox"));
        Assert.Equal("Database=recovery_detox", EventStoreSetup.ConnectionStringOf(configuration, "detox"));
        Assert.Equal("Database=recovery", EventStoreSetup.ConnectionStringOf(configuration, "relapse"));
    }

    [Fact]
    public void With_no_connection_string_at_all_the_error_names_both_settings()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => EventStoreSetup.ConnectionStringOf(Settings(), "counseling"));
        Assert.Contains("ConnectionStrings:counseling", missing.Message);
        Assert.Contains("ConnectionStrings:Platform", missing.Message);
    }

    [Fact]
    public void Two_hosts_with_a_target_session_become_a_multi_host_data_source_and_one_host_stays_a_plain_string()
    {
        using var cluster = EventStoreSetup.MultiHost("Host=127.0.0.1:5442,127.0.0.1:5443;Database=d;Target Session Attributes=primary");
        Assert.NotNull(cluster);
        Assert.DoesNotContain("Target Session", cluster.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Null(EventStoreSetup.MultiHost("Host=127.0.0.1;Database=d"));
        Assert.Null(EventStoreSetup.MultiHost("Host=127.0.0.1:5442,127.0.0.1:5443;Database=d"));
    }

    [Fact]
    public void Sessions_prepare_their_repeated_statements_unless_the_string_or_the_setting_says_otherwise()
    {
        var prepared = new NpgsqlConnectionStringBuilder(EventStoreSetup.SessionSettings("Host=h;Database=d", "detox", Settings()));
        Assert.Equal((64, 2), (prepared.MaxAutoPrepare, prepared.AutoPrepareMinUsages));
        Assert.StartsWith("detox/", prepared.ApplicationName);

        var own = new NpgsqlConnectionStringBuilder(EventStoreSetup.SessionSettings("Host=h;Max Auto Prepare=5;Application Name=a", "detox", Settings()));
        Assert.Equal((5, "a"), (own.MaxAutoPrepare, own.ApplicationName));

        var off = new NpgsqlConnectionStringBuilder(EventStoreSetup.SessionSettings("Host=h", "detox", Settings(("EventStore:MaxAutoPrepare", "0"))));
        Assert.Equal(0, off.MaxAutoPrepare);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
