using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>
/// The AsyncAPI 3.0 document of the bus, generated from contracts/ so it cannot drift from what is published: a channel
/// per contract exchange and one for the history stream, a message per contract with its envelope, headers and a JSON
/// Schema (draft 2020-12) of its body. Served by the Timeline at /asyncapi.json and checked in as docs/asyncapi.json
/// (tests/Contracts.Tests keeps the copy in sync). docs/events.md says in words what the document says in schemas.
/// </summary>
public static class AsyncApiDocument
{
    /// <summary>The contract's version: the latest row of the changelog in docs/events.md.</summary>
    public const string Version = "1.7.0";

    public const string SchemaFormat = "application/schema+json;version=draft-2020-12";
    public const string ContentType = "application/vnd.masstransit+json";
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";
    private const string AmqpBindingVersion = "0.3.0";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The document as served and checked in: indented, "\n" line ends.</summary>
    public static string ToJson() => Create().ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    public static JsonObject Create()
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        foreach (var contract in ContractEvents.All)
        {
            var exchange = ContractExchangeNames.NameOf(contract)!;
            channels[exchange] = new JsonObject
            {
                ["address"] = exchange,
                ["title"] = contract.Name,
                ["description"] = $"The fanout exchange of {contract.FullName}. Bind a queue of your own to it; see docs/events.md.",
                ["messages"] = new JsonObject { [contract.Name] = Ref($"#/components/messages/{contract.Name}") },
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject
                    {
                        ["is"] = "routingKey",
                        ["exchange"] = new JsonObject
                        {
                            ["name"] = exchange, ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false,
                        },
                        ["bindingVersion"] = AmqpBindingVersion,
                    },
                },
            };
            operations[$"publish{contract.Name}"] = new JsonObject
            {
                ["action"] = "send",
                ["title"] = $"Publish {contract.Name}",
                ["description"] = $"The {PublisherOf(contract)} service publishes every {contract.Name} it commits, at least once.",
                ["channel"] = Ref($"#/channels/{exchange}"),
                ["messages"] = new JsonArray(Ref($"#/channels/{exchange}/messages/{contract.Name}")),
            };
            messages[contract.Name] = Message(contract);
        }

        var history = EventHistoryOptions.Stream;
        channels[history] = new JsonObject
        {
            ["address"] = history,
            ["title"] = "The history stream",
            ["description"] = "A RabbitMQ stream bound to every exchange above: every message, kept by age and size. Consume it with " +
                              "basic.qos (a prefetch) and the x-stream-offset argument (first, last, next, an offset or a timestamp); " +
                              "see docs/events.md, \"Replaying the history\".",
            ["messages"] = new JsonObject(ContractEvents.All.Select(c =>
                KeyValuePair.Create<string, JsonNode?>(c.Name, Ref($"#/components/messages/{c.Name}")))),
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject
                {
                    ["is"] = "queue",
                    ["queue"] = new JsonObject { ["name"] = history, ["durable"] = true, ["exclusive"] = false, ["autoDelete"] = false },
                    ["bindingVersion"] = AmqpBindingVersion,
                },
            },
        };
        operations["keepHistory"] = new JsonObject
        {
            ["action"] = "send",
            ["title"] = "Keep every message in the history stream",
            ["description"] = "Every message of every exchange is also routed to the history stream.",
            ["channel"] = Ref($"#/channels/{history}"),
            ["messages"] = new JsonArray(ContractEvents.All.Select(c => (JsonNode)Ref($"#/channels/{history}/messages/{c.Name}")).ToArray()),
        };

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["id"] = "urn:recovery:integration-events",
            ["info"] = new JsonObject
            {
                ["title"] = "Recovery platform integration events",
                ["version"] = Version,
                ["description"] = "The integration events the platform publishes on RabbitMQ for systems outside it. Generated from " +
                                  "contracts/; docs/events.md explains each field, the delivery guarantees, versioning and replay.",
            },
            ["defaultContentType"] = ContentType,
            ["servers"] = new JsonObject
            {
                ["broker"] = new JsonObject
                {
                    ["host"] = "{host}:{port}",
                    ["protocol"] = "amqp",
                    ["protocolVersion"] = "0.9.1",
                    ["pathname"] = "/{vhost}",
                    ["description"] = "RabbitMQ. Ask the operator for a user of your own (docs/events.md, \"Permissions\").",
                    ["variables"] = new JsonObject
                    {
                        ["host"] = new JsonObject { ["default"] = "127.0.0.1" },
                        ["port"] = new JsonObject { ["default"] = "5672" },
                        ["vhost"] = new JsonObject { ["default"] = "recovery", ["description"] = "The virtual host." },
                    },
                    ["security"] = new JsonArray(Ref("#/components/securitySchemes/brokerUser")),
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["messages"] = messages,
                ["securitySchemes"] = new JsonObject
                {
                    ["brokerUser"] = new JsonObject
                    {
                        ["type"] = "userPassword",
                        ["description"] = "configure and write on your own names, read on your own names and on ^recovery\\.",
                    },
                },
            },
        };
    }

    private static JsonObject Message(Type contract) => new()
    {
        ["name"] = contract.Name,
        ["title"] = contract.Name,
        ["summary"] = $"{contract.FullName}, in a MassTransit envelope.",
        ["contentType"] = ContentType,
        ["headers"] = new JsonObject { ["schemaFormat"] = SchemaFormat, ["schema"] = HeadersSchema() },
        ["payload"] = new JsonObject { ["schemaFormat"] = SchemaFormat, ["schema"] = EnvelopeSchema(contract) },
        ["bindings"] = new JsonObject
        {
            ["amqp"] = new JsonObject { ["messageType"] = UrnOf(contract), ["bindingVersion"] = AmqpBindingVersion },
        },
    };

    public static string UrnOf(Type type) => $"urn:message:{type.Namespace}:{type.Name}";

    /// <summary>
    /// The URNs MassTransit writes in messageType: the contract's, then its base records' and its interfaces' from contracts/
    /// (for a patient event PatientEvent and IPatientEvent).
    /// </summary>
    public static IReadOnlyList<string> MessageTypesOf(Type contract)
    {
        var bases = new List<Type>();
        for (var t = contract.BaseType; t is not null && t.Assembly == contract.Assembly; t = t.BaseType) bases.Add(t);
        List<Type> types = [contract, .. bases, .. contract.GetInterfaces().Where(i => i.Assembly == contract.Assembly)];
        return types.Select(UrnOf).ToList();
    }

    /// <summary>
    /// The whole body as delivered: the MassTransit envelope (open: ignore what you do not know) around the event (closed:
    /// every field of this version is listed).
    /// </summary>
    public static JsonObject EnvelopeSchema(Type contract)
    {
        var body = BodySchema(contract);
        body.Remove("$schema");
        return new JsonObject
        {
            ["$schema"] = Draft202012,
            ["$id"] = $"urn:recovery:schema:{ContractExchangeNames.NameOf(contract)}",
            ["title"] = $"{contract.Name} envelope",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["messageId"] = new JsonObject
                {
                    ["type"] = "string", ["format"] = "uuid",
                    ["description"] = "The source event's id: the same on every redelivery of the fact. Deduplicate on it.",
                },
                ["messageType"] = new JsonObject
                {
                    ["description"] = "URNs urn:message:<namespace>:<type>; the first is the contract type.",
                    ["const"] = new JsonArray(MessageTypesOf(contract).Select(u => (JsonNode)JsonValue.Create(u)).ToArray()),
                },
                ["message"] = body,
                ["sentTime"] = new JsonObject
                {
                    ["type"] = "string", ["format"] = "date-time",
                    ["description"] = "When the message was published; message.occurredAt is when the fact was committed.",
                },
                ["headers"] = HeadersSchema(),
                ["destinationAddress"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
                ["sourceAddress"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
                ["conversationId"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                ["requestId"] = Unused(),
                ["correlationId"] = Unused(),
                ["initiatorId"] = Unused(),
                ["responseAddress"] = Unused(),
                ["faultAddress"] = Unused(),
                ["expirationTime"] = Unused(),
                ["host"] = new JsonObject { ["type"] = "object", ["description"] = "MassTransit bookkeeping; not part of the contract." },
            },
            ["required"] = new JsonArray("messageId", "messageType", "message", "sentTime", "headers", "destinationAddress"),
        };

        static JsonObject Unused() => new() { ["type"] = new JsonArray("string", "null"), ["description"] = "Unused; null today." };
    }

    /// <summary>The platform's headers, in the envelope's "headers" and as AMQP headers; others (the client's own) may be present.</summary>
    public static JsonObject HeadersSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["recovery-clinic"] = new JsonObject
            {
                ["type"] = "string", ["description"] = "The clinic that recorded the fact: message.clinicId.",
            },
            ["recovery-source-sequence"] = new JsonObject
            {
                ["type"] = "integer", ["minimum"] = 1,
                ["description"] = "The event's position in its publishing service's event store; increases per service, with gaps.",
            },
            ["MT-Activity-Id"] = new JsonObject
            {
                ["type"] = "string", ["pattern"] = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                ["description"] = "W3C traceparent of the publish.",
            },
        },
        ["required"] = new JsonArray("recovery-clinic", "recovery-source-sequence"),
    };

    /// <summary>
    /// The event's JSON Schema (draft 2020-12), from its record: integer or number as the C# type says, formats for ids, times
    /// and days, null only where the type is nullable, every property required (the serializer always writes every one),
    /// no property beyond those listed, and the enumerated values of <see cref="EnumeratedValues"/>.
    /// </summary>
    public static JsonObject BodySchema(Type contract)
    {
        var schema = (JsonObject)Wire.GetJsonSchemaAsNode(contract, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Refine,
        });
        schema.Insert(0, "$schema", Draft202012);
        schema.Insert(1, "title", contract.Name);
        return schema;
    }

    // As the bus writes bodies: camelCase, numbers as numbers (MessageBusSetup removes MassTransit's decimal-as-string).
    private static readonly JsonSerializerOptions Wire = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static JsonNode Refine(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema) return node;
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && schema["properties"] is JsonObject)
        {
            schema["additionalProperties"] = false;
            schema["required"] = new JsonArray(context.TypeInfo.Properties.Select(p => (JsonNode)JsonValue.Create(p.Name)).ToArray());
        }
        if (context.PropertyInfo is { AttributeProvider: MemberInfo member } && Enumerated(member) is { } field)
        {
            if (field.Values is { } values)
            {
                var target = schema["items"] as JsonObject ?? schema["additionalProperties"] as JsonObject ?? schema;
                var allowed = values.Select(v => (JsonNode?)JsonValue.Create(v)).ToList();
                // A nullable field's "enum" must list null too, or it would forbid what its "type" allows.
                if (target["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null")) allowed.Add(null);
                target["enum"] = new JsonArray(allowed.ToArray());
            }
            if (field.Keys is { } keys)
                schema["propertyNames"] = new JsonObject { ["enum"] = new JsonArray(keys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()) };
        }
        return schema;
    }

    private static EnumeratedField? Enumerated(MemberInfo member) =>
        EnumeratedValues.Fields.FirstOrDefault(f => f.Property == member.Name && f.Contract == member.DeclaringType);

    private static string PublisherOf(Type contract) => contract.Namespace!.Split('.')[2] switch
    {
        "Sharing" => "Timeline",
        var service => service,
    };

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };

    private static readonly Lazy<string> Served = new(ToJson);

    /// <summary>GET /asyncapi.json, open like /openapi/v1.json: the contract is public, the events are not.</summary>
    public static IEndpointRouteBuilder MapAsyncApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet("/asyncapi.json", () => Results.Text(Served.Value, "application/json"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
