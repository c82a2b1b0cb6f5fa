using System.Net;

namespace Recovery.Integration.Tests;

/// <summary>The platform's own metrics move with one fact: appended, forwarded, consumed, and how late.</summary>
[Collection(PlatformCollection.Name)]
public class MetricsTests(Platform platform)
{
    [Fact]
    public async Task One_registration_moves_the_append_forward_and_consume_metrics()
    {
        using var measurements = new PlatformMeasurements();

        var registered = await platform.ClinicClient("clinic-north").Post("/patients", Requests.Patient(Requests.NewRecordNumber()));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var patient = (await registered.Json())["patientId"]!.GetValue<Guid>();
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 1));

        bool Saw(string instrument, string tag, Func<string, bool> value) =>
            measurements.Seen.Any(m => m.Instrument == instrument && m.Tags.TryGetValue(tag, out var v) && v is not null && value(v));
        var expected = new (string Instrument, string Tag, Func<string, bool> Value)[]
        {
            ("recovery.events.appended", "service", s => s == "assessment"),
            ("recovery.events.appended", "service", s => s == "timeline"),
            ("recovery.forwarder.events", "service", s => s == "assessment"),
            ("recovery.forwarder.lag", "service", s => s == "assessment"),
            ("recovery.consumer.messages", "consumer", c => c.StartsWith("timeline:", StringComparison.Ordinal)),
            ("recovery.consumer.lag", "consumer", c => c.StartsWith("timeline:", StringComparison.Ordinal)),
        };
        // The forwarder records its publish a moment after the broker confirmed it, maybe after the consumer ran.
        await Eventually.Until(() => expected.Where(e => !Saw(e.Instrument, e.Tag, e.Value)).Select(e => $"{e.Instrument} ({e.Tag})").ToList(),
            missing => missing.Count == 0, TimeSpan.FromSeconds(10), missing => "no measurement of " + string.Join(", ", missing),
            "a measurement of every expected instrument");

        Assert.All(expected, e => Assert.True(Saw(e.Instrument, e.Tag, e.Value), $"no {e.Instrument} measurement"));
        Assert.All(measurements.Seen.Where(m => m.Instrument.EndsWith(".lag", StringComparison.Ordinal)), m => Assert.InRange(m.Value, -1, 60));
    }
}
