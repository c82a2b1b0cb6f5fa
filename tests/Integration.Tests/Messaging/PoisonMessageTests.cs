using System.Net;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Recovery.Integration.Tests;

/// <summary>A message nobody can read is set aside with its reason, and never blocks the messages behind it.</summary>
[Collection(PlatformCollection.Name)]
public class PoisonMessageTests(Platform platform)
{
    private const string Exchange = "recovery.assessment.v1.patient-registered";
    private const string TimelineErrors = "timeline_error";

    [Fact]
    public async Task An_unreadable_message_goes_to_the_error_queue_with_its_reason_and_the_queue_moves_on()
    {
        var factory = new ConnectionFactory
        {
            HostName = Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1",
            Port = int.Parse(Environment.GetEnvironmentVariable("RabbitMq__Port") ?? "5672"),
            VirtualHost = Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "recovery",
            UserName = Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "recovery",
            Password = Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "recovery",
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var poisonId = Guid.NewGuid().ToString();
        var properties = new BasicProperties { MessageId = poisonId, ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync(Exchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes("{\"message\": {\"patientId\": "));

        // A real fact published after the poison one still reaches the timeline.
        var registered = await platform.ClinicClient("clinic-north").Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var patient = (await registered.Json())["patientId"]!.GetValue<Guid>();
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 1));

        // The poison message waits in the error queue, with the reason it could not be consumed.
        // Each look takes the error queue's messages up to the poison one (earlier runs may have left others).
        var others = new List<string?>();
        var setAside = await Eventually.Until<IReadOnlyBasicProperties?>(async () =>
            {
                // The error queue is made when the first message is set aside: on a fresh virtual host it may not exist yet,
                // and asking for a queue that does not exist closes the channel, so each look has its own.
                await using var look = await connection.CreateChannelAsync();
                try
                {
                    for (var got = await look.BasicGetAsync(TimelineErrors, autoAck: true); got is not null;
                         got = await look.BasicGetAsync(TimelineErrors, autoAck: true))
                    {
                        if (got.BasicProperties.MessageId == poisonId) return got.BasicProperties;
                        others.Add(got.BasicProperties.MessageId);
                    }
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    others.Add($"(no {TimelineErrors} yet)");
                }
                return null;
            }, found => found is not null, TimeSpan.FromSeconds(20),
            _ => $"{TimelineErrors} held {others.Count} other messages ({string.Join(", ", others.TakeLast(5))}), not {poisonId}",
            $"the poison message {poisonId} in {TimelineErrors}");
        Assert.NotNull(setAside);
        var headers = setAside.Headers!;
        string Header(string name) => setAside.Headers![name] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "";
        Assert.Equal("fault", Header("MT-Reason"));
        Assert.Contains("Json", Header("MT-Fault-ExceptionType"));
        Assert.EndsWith("/timeline", Header("MT-Fault-InputAddress"));
    }
}
