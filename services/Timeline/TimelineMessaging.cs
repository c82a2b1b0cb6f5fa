using MassTransit;
using Recovery.BuildingBlocks.Messaging;

using Recovery.Timeline.Recording;

namespace Recovery.Timeline;

public static class TimelineMessaging
{
    public const string Queue = "timeline";

    /// <summary>What the Timeline hears: every patient event of every service, on one queue, one recorder per event type.</summary>
    public static WebApplicationBuilder AddTimelineConsumers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecordingPause>();
        builder.Services.AddSingleton<InboxBatches>();
        var recorders = PatientEvents.All.Select(t => typeof(PatientEventRecorder<>).MakeGenericType(t)).ToList();
        return builder.AddMessageBus(Queue, recorders.ToArray());
    }
}
