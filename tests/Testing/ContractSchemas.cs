using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Testing;

/// <summary>
/// Validates what travels on the bus against the AsyncAPI document's schemas (draft 2020-12) with a real validator
/// (JsonSchema.Net), formats asserted: a wrong type, a value off its list, a missing field or one the schema does not list.
/// </summary>
public static class ContractSchemas
{
    private static readonly JsonObject Document = AsyncApiDocument.Create();
    private static readonly ConcurrentDictionary<string, JsonSchema?> Payloads = new();

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>What is wrong with a delivered body (a MassTransit envelope); empty when it matches its message's schema.</summary>
    public static IReadOnlyList<string> Violations(JsonNode envelope)
    {
        var urn = envelope["messageType"]?[0]?.GetValue<string>() ?? "";
        if (Payloads.GetOrAdd(urn, PayloadOf) is not { } schema) return [$"no message of the document has the type '{urn}'"];
        return Errors(schema.Evaluate(Element(envelope), Options));
    }

    /// <summary>What is wrong with <paramref name="instance"/> against a schema of the document (a JSON text).</summary>
    public static IReadOnlyList<string> Violations(string schema, JsonNode instance) => Errors(Build(schema).Evaluate(Element(instance), Options));

    private static JsonSchema? PayloadOf(string urn)
    {
        var message = Document["components"]!["messages"]!.AsObject()
            .Select(m => m.Value!)
            .FirstOrDefault(m => m["bindings"]!["amqp"]!["messageType"]!.GetValue<string>() == urn);
        return message is null ? null : Build(message["payload"]!["schema"]!.ToJsonString());
    }

    // A registry of its own per schema: the document's schemas have ids, and a registry refuses an id registered twice.
    private static JsonSchema Build(string schema) => JsonSchema.FromText(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static List<string> Errors(EvaluationResults results) =>
        results.IsValid
            ? []
            : (results.Details is { Count: > 0 } details ? details : [results])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .ToList();
}
