extern alias assessment;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

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
                await Task.Delay(TimeSpan.FromSeconds(2));
                Assert.Equal(0, listener.CountFor(patientId));
            }

            await using (var restarted = Host(schema, forwarding: true))
            {
                _ = restarted.CreateClient();
                await Eventually(() => listener.CountFor(patientId) >= 1, TimeSpan.FromSeconds(30));
                await Task.Delay(TimeSpan.FromSeconds(2));
                Assert.Equal(1, listener.CountFor(patientId));
            }

            // Its checkpoint is stored: a third start publishes nothing again.
            await using (var again = Host(schema, forwarding: true))
            {
                _ = again.CreateClient();
                await Task.Delay(TimeSpan.FromSeconds(4));
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

    private static ServiceHost<assessment::Program> Host(string schema, bool forwarding) => new(new Dictionary<string, string?>
    {
        ["EventStore:Schema"] = schema,
        ["Forwarder:Enabled"] = forwarding ? "true" : "false",
    });

    private static async Task Eventually(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(condition(), $"not within {within}");
    }
}

/// <summary>
/// A plain AMQP consumer, as an outside integrator would write one: binds a private queue to a
/// contract's exchange and reads the JSON envelope.
/// </summary>
public sealed class ExchangeListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentBag<JsonNode> _messages = [];

    private ExchangeListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<ExchangeListener> Start(string exchange)
    {
        var factory = new ConnectionFactory
        {
            HostName = Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1",
            VirtualHost = Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "recovery",
            UserName = Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "recovery",
            Password = Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "recovery",
        };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, "");
        var listener = new ExchangeListener(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            listener._messages.Add(JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return listener;
    }

    public int CountFor(Guid patientId) =>
        _messages.Count(m => m["message"]?["patientId"]?.GetValue<Guid>() == patientId);

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
