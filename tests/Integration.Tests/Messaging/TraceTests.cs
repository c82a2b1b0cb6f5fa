using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Recovery.BuildingBlocks.Telemetry;

namespace Recovery.Integration.Tests;

/// <summary>The trace context travels with the fact: through the event store's headers, the forwarder and the bus.</summary>
[Collection(PlatformCollection.Name)]
public class TraceTests(Platform platform)
{
    [Fact]
    public async Task One_command_is_one_trace_from_the_request_through_the_bus_to_the_timeline()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.TraceId == traceId) spans.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(listener);

        // The clinic's client starts the trace; everything after must continue it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/patients")
        {
            Content = JsonContent.Create(Requests.Patient(Requests.NewRecordNumber()), options: Platform.Json),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await platform.ClinicClient("clinic-north").SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var patient = (await response.Json())["patientId"]!.GetValue<Guid>();
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 1));

        bool Has(Func<Activity, bool> span) => spans.Any(span);
        var hops = new Dictionary<string, Func<Activity, bool>>
        {
            ["HTTP request"] = a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server,
            ["database command"] = a => a.Source.Name == "Npgsql",
            ["forwarder"] = a => a.Source.Name == PlatformTelemetry.Name && a.DisplayName == "forward PatientRegistered",
            ["publish on the bus"] = a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer,
            ["consume from the bus"] = a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer,
        };
        string Seen() => string.Join("; ", spans.Select(a => $"{a.Source.Name}/{a.Kind}/{a.DisplayName}").Distinct());
        var missing = await Eventually.Until(() => hops.Where(h => !Has(h.Value)).Select(h => h.Key).ToList(), m => m.Count == 0,
            TimeSpan.FromSeconds(10), m => $"no span for {string.Join(", ", m)} in trace {traceId}; saw: {Seen()}", "a span of every hop");
        Assert.True(missing.Count == 0, $"no span for {string.Join(", ", missing)} in trace {traceId}; saw: {Seen()}");
    }
}
