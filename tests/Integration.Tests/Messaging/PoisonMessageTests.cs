using System.Net;
using System.Text;
using RabbitMQ.Client;

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
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyBasicProperties? setAside = null;
        while (setAside is null && DateTime.UtcNow < deadline)
        {
            var got = await channel.BasicGetAsync(TimelineErrors, autoAck: true);
            if (got is null) await Task.Delay(100);
            else if (got.BasicProperties.MessageId == poisonId) setAside = got.BasicProperties;
        }
        Assert.NotNull(setAside);
        var headers = setAside.Headers!;
        string Header(string name) => setAside.Headers![name] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "";
        Assert.Equal("fault", Header("MT-Reason"));
        Assert.Contains("Json", Header("MT-Fault-ExceptionType"));
        Assert.EndsWith("/timeline", Header("MT-Fault-InputAddress"));
    }
}
