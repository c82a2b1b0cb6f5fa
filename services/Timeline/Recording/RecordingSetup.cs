using MassTransit;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Timeline.Recording;

public static class RecordingSetup
{
    public const string Queue = "timeline";

    /// <summary>One queue, bound to every patient event's exchange, one recorder per event type.</summary>
    public static WebApplicationBuilder AddPatientEventRecording(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingPause>();
        var recorders = PatientEvents.All.Select(t => typeof(PatientEventRecorder<>).MakeGenericType(t)).ToList();
        return builder.AddMessageBus(Queue, recorders.ToArray());
    }
}
