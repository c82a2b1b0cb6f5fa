using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// The broker user docs/events.md tells an operator to create for an integrator: configure and write on its own names,
/// read on its own names and on ^recovery\. . With it an integrator declares its queue (with a dead-letter exchange of
/// its own), binds it to contract exchanges it could not have declared itself, consumes, and replays the history; it
/// cannot publish to the platform's exchanges, declare them, or read the platform's own queues.
/// </summary>
[Collection(PlatformCollection.Name)]
public class IntegratorPermissionsTests(Platform platform)
{
    private const string AccessRefused = "ACCESS_REFUSED";

    [Fact]
    public async Task The_documented_user_consumes_its_own_queue_and_the_history_and_is_refused_the_platforms_exchanges_and_queues()
    {
        var own = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var ownNames = $"^{own}\\.";
        await using var user = await Broker.CreateUser(configure: ownNames, write: ownNames, read: $"^({own}\\.|recovery\\.)");
        var queue = $"{own}.care";
        try
        {
            await using var connection = await Broker.Connect(user.Name, user.Password);
            var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeclareAsync($"{own}.dead-letters", ExchangeType.Fanout, durable: true);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-dead-letter-exchange"] = $"{own}.dead-letters" });
            // Exchanges nothing has published to yet exist: every service declares every contract exchange at its start.
            await channel.QueueBindAsync(queue, "recovery.assessment.v1.patient-registered", "");
            await channel.QueueBindAsync(queue, "recovery.sharing.v1.consent-granted", "");
            var received = new ConcurrentQueue<(JsonNode Envelope, object? Clinic)>();
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                received.Enqueue((JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!, Broker.Header(delivery.BasicProperties, "recovery-clinic")));
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

            var clinic = platform.ClinicClient("clinic-north");
            var registered = await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            var patient = (await registered.Json())["patientId"]!.GetValue<Guid>();
            Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 1));
            (await Platform.ClinicClient(platform.Timeline, "clinic-north")
                .Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment" })).EnsureSuccessStatusCode();

            var ofPatient = await Until(() => received.Where(m => m.Envelope["message"]!["patientId"]!.GetValue<Guid>() == patient).ToList(),
                m => m.Count == 2, m => $"the registration and the consent of {patient} on the integrator's queue; it holds " +
                    string.Join(", ", m.Select(d => d.Envelope["messageType"]![0])));
            // The network record has no tenants; its facts still name the clinic that recorded them.
            Assert.All(ofPatient, m => Assert.Equal("clinic-north", m.Clinic));

            // The history stream: read is all it takes.
            await using (var history = await HistoryReader.Start("first", m => m.PatientId == patient, user))
                await history.Until(kept => kept.Count == 2, $"patient {patient}'s two facts in the history");

            await Refused(connection, c => c.BasicPublishAsync("recovery.assessment.v1.patient-registered", "", true,
                new BasicProperties(), Encoding.UTF8.GetBytes("{}")).AsTask(), "publishing to a platform exchange");
            await Refused(connection, c => c.ExchangeDeclareAsync("recovery.assessment.v2.patient-registered", ExchangeType.Fanout, durable: true),
                "declaring an exchange under recovery.");
            await Refused(connection, c => c.BasicConsumeAsync("timeline", autoAck: false, new AsyncEventingBasicConsumer(c)), "consuming the Timeline's queue");
            await Refused(connection, c => c.QueueDeleteAsync(EventHistoryOptions.Stream), "deleting the history stream");
        }
        finally
        {
            await using var admin = await Broker.Connect();
            await using var channel = await admin.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
            await channel.ExchangeDeleteAsync($"{own}.dead-letters");
        }
    }

    [Fact]
    public async Task Without_read_on_its_own_queue_an_integrator_can_bind_it_but_not_consume_from_it()
    {
        var own = "acme-" + Guid.NewGuid().ToString("N")[..8];
        // What docs/events.md said before 1.2: configure and write on your queue, read on ^recovery\. only.
        await using var user = await Broker.CreateUser(configure: $"^{own}\\.", write: $"^{own}\\.", read: "^recovery\\.");
        var queue = $"{own}.care";
        try
        {
            await using var connection = await Broker.Connect(user.Name, user.Password);
            var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, "recovery.assessment.v1.patient-registered", "");
            await Refused(connection, c => c.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(c)), "consuming its own queue");
        }
        finally
        {
            await using var admin = await Broker.Connect();
            await using var channel = await admin.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>The broker closes the channel with 403 ACCESS_REFUSED (a publish only after its confirm was awaited).</summary>
    private static async Task Refused(IConnection connection, Func<IChannel, Task> attempt, string what)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var refusal = await Record.ExceptionAsync(() => attempt(channel));
        var reason = channel.CloseReason ?? (refusal as OperationInterruptedException)?.ShutdownReason;
        Assert.True(reason?.ReplyCode == 403, $"{what} was not refused: {refusal?.Message ?? "no error"}; channel {reason?.ReplyText ?? "open"}");
        Assert.Contains(AccessRefused, reason!.ReplyText);
    }

    private static async Task<T> Until<T>(Func<T> observe, Func<T, bool> done, Func<T, string> waitingFor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var seen = observe();
            if (done(seen)) return seen;
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {waitingFor(seen)}");
            await Task.Delay(50);
        }
    }
}
