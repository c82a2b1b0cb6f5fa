using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// The broker as an outside integrator meets it, through a plain AMQP client (RabbitMQ.Client, no MassTransit), on the
/// virtual host the platform under test uses; and, as the operator, its management API to create integrators' users.
/// </summary>
public static class Broker
{
    public static string Host => Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1";
    public static string VirtualHost => Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "recovery";
    private static string AdminUser => Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "recovery";
    private static string AdminPassword => Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "recovery";
    private static string ManagementPort => Environment.GetEnvironmentVariable("RabbitMq__ManagementPort") ?? "15672";

    public static Task<IConnection> Connect(string? user = null, string? password = null) =>
        new ConnectionFactory
        {
            HostName = Host, VirtualHost = VirtualHost, UserName = user ?? AdminUser, Password = password ?? AdminPassword,
            ClientProvidedName = "integrator test",
        }.CreateConnectionAsync();

    /// <summary>The operator creates a user with permissions on the platform's virtual host only; dispose deletes it.</summary>
    public static async Task<BrokerUser> CreateUser(string configure, string write, string read)
    {
        var user = new BrokerUser("integrator-" + Guid.NewGuid().ToString("N")[..10], Guid.NewGuid().ToString("N"));
        using var admin = Management();
        (await admin.PutAsJsonAsync($"api/users/{user.Name}", new { password = user.Password, tags = "" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(VirtualHost)}/{user.Name}", new { configure, write, read }))
            .EnsureSuccessStatusCode();
        return user;
    }

    internal static HttpClient Management()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{Host}:{ManagementPort}/") };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        return client;
    }

    /// <summary>A header of a delivery as text or number (AMQP delivers strings as bytes).</summary>
    public static object? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value : null;
}

public sealed record BrokerUser(string Name, string Password) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        using var admin = Broker.Management();
        await admin.DeleteAsync($"api/users/{Name}");
    }
}

/// <summary>A message as the history stream delivered it: its offset, its envelope and its AMQP headers.</summary>
public sealed record Delivered(long Offset, JsonNode Envelope, IReadOnlyBasicProperties Properties)
{
    public string Type => Envelope["messageType"]![0]!.GetValue<string>().Split(':')[^1];
    public Guid MessageId => Envelope["messageId"]!.GetValue<Guid>();
    public Guid? PatientId => Envelope["message"]?["patientId"]?.GetValue<Guid>();
    public string? TraceId => (Broker.Header(Properties, "MT-Activity-Id") as string)?.Split('-')[1];
    public long Sequence => Convert.ToInt64(Broker.Header(Properties, "recovery-source-sequence"));
    public string Service => Envelope["messageType"]![0]!.GetValue<string>().Split('.')[2];

    public override string ToString() => $"{Offset}: {Type} {MessageId}";
}

/// <summary>
/// A consumer of the history stream, as docs/events.md tells an integrator to write one: basic.qos, basic.consume with
/// x-stream-offset (first, an offset, a timestamp), manual acknowledgements. It keeps what <c>keep</c> selects.
/// </summary>
public sealed class HistoryReader : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<Delivered> _kept = new();
    private long _read;

    private HistoryReader(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyList<Delivered> Kept => _kept.ToList();

    /// <param name="offset">"first", "last", "next", an offset (long) or a point in time (<see cref="AmqpTimestamp"/>).</param>
    public static async Task<HistoryReader> Start(object offset, Func<Delivered, bool> keep, BrokerUser? user = null)
    {
        var connection = await Broker.Connect(user?.Name, user?.Password);
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 500, false);   // a stream consumer must set a prefetch
        var reader = new HistoryReader(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Interlocked.Increment(ref reader._read);
            // Not every body is the platform's: PoisonMessageTests publishes one that is not JSON.
            if (Parse(delivery.Body.Span) is { } envelope)
            {
                var message = new Delivered(Convert.ToInt64(delivery.BasicProperties.Headers!["x-stream-offset"]), envelope, delivery.BasicProperties);
                if (keep(message)) reader._kept.Enqueue(message);
            }
            // Every delivery is acknowledged: a stream refuses nack and reject.
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(EventHistoryOptions.Stream, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            new Dictionary<string, object?> { ["x-stream-offset"] = offset }, consumer);
        return reader;
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(body));
            return node is JsonObject envelope && envelope["messageType"] is JsonArray ? envelope : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was kept; at the deadline fails with what was read.</summary>
    public async Task<IReadOnlyList<Delivered>> Until(Func<IReadOnlyList<Delivered>, bool> done, string waitingFor, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var kept = Kept;
            if (done(kept)) return kept;
            Assert.True(DateTime.UtcNow < deadline,
                $"the history stream did not deliver {waitingFor} within {limit}: read {Interlocked.Read(ref _read)} messages, kept " +
                $"{kept.Count}: {string.Join(", ", kept.TakeLast(30))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
