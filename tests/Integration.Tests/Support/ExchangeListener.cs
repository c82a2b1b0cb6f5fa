using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Recovery.Integration.Tests;

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
