using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Contracts.Tests;

/// <summary>
/// The AsyncAPI document integrators read is the one generated from contracts/: checked in beside docs/events.md, valid
/// AsyncAPI 3.0, one channel per contract exchange plus the history stream.
/// </summary>
public partial class AsyncApiDocumentTests
{
    private const string CheckedIn = "docs/asyncapi.json";

    /// <summary>Set to 1 to rewrite docs/asyncapi.json from contracts/ (after a contract change).</summary>
    private const string UpdateVariable = "UPDATE_ASYNCAPI";

    [Fact]
    public void The_checked_in_document_is_the_one_generated_from_the_contracts()
    {
        var path = RepositoryFiles.PathOf(CheckedIn);
        var generated = AsyncApiDocument.ToJson();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1") File.WriteAllText(path, generated);
        var checkedIn = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(checkedIn == generated,
            $"{CheckedIn} differs from what contracts/ generate; regenerate it with " +
            $"{UpdateVariable}=1 dotnet test tests/Contracts.Tests --filter {nameof(The_checked_in_document_is_the_one_generated_from_the_contracts)}, " +
            "then review the difference and add a changelog row to docs/events.md");
    }

    [Fact]
    public void The_document_is_valid_AsyncAPI_3()
    {
        var schema = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AsyncApi", "asyncapi-3.0.0.schema.json"));
        var violations = ContractSchemas.Violations(schema, AsyncApiDocument.Create());
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
    }

    [Fact]
    public void Every_contract_exchange_is_a_channel_with_its_message_and_the_history_stream_carries_them_all()
    {
        var document = AsyncApiDocument.Create();
        var channels = document["channels"]!.AsObject();
        var messages = document["components"]!["messages"]!.AsObject();
        Assert.Equal(40, channels.Count);
        foreach (var contract in ContractEvents.All)
        {
            var exchange = ContractExchangeNames.NameOf(contract)!;
            Assert.Equal("fanout", channels[exchange]?["bindings"]?["amqp"]?["exchange"]?["type"]?.GetValue<string>());
            Assert.Equal($"urn:message:{contract.Namespace}:{contract.Name}",
                messages[contract.Name]!["bindings"]!["amqp"]!["messageType"]!.GetValue<string>());
            Assert.NotNull(channels[EventHistoryOptions.Stream]!["messages"]![contract.Name]);
        }
    }

    [Fact]
    public void The_document_version_is_the_latest_row_of_the_changelog()
    {
        var events = File.ReadAllText(RepositoryFiles.PathOf("docs/events.md"));
        var changelog = events[events.IndexOf("## Changelog", StringComparison.Ordinal)..];
        var latest = ChangelogRow().Match(changelog).Groups["version"].Value;
        Assert.StartsWith($"{latest}.", AsyncApiDocument.Version);
    }

    [GeneratedRegex(@"^\| (?<version>\d+\.\d+) \|", RegexOptions.Multiline)]
    private static partial Regex ChangelogRow();
}
