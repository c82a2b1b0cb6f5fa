using MassTransit;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Timeline.Recording;

public static class RecordingSetup
{
    public const string Queue = "timeline";

    /// <summary>One queue, bound to every patient event's exchange, one recorder per event type.</summary>
    public static WebApplicationBuilder AddPatientEventRecording(this WebApplicationBuilder builder)
    {
        var recorders = PatientEvents.All.Select(t => typeof(PatientEventRecorder<>).MakeGenericType(t)).ToList();
        return builder.AddMessageBus(
            bus => recorders.ForEach(r => bus.AddConsumer(r)),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.PrefetchCount = 64;
                // Lock waits and races on one patient's stream resolve on retry; the inbox makes retries safe.
                endpoint.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000, 15000));
                recorders.ForEach(r => endpoint.ConfigureConsumer(context, r));
            }));
    }
}
