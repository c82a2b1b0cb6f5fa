using MassTransit;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReturnToTreatment;

namespace Recovery.Relapse;

public static class RelapseMessaging
{
    public const string Queue = "relapse";

    /// <summary>What relapse tracking hears from the other services: detox endings, missed visits, new assessments.</summary>
    private static readonly Type[] Consumers =
    [
        typeof(StartMonitoringOnDetoxCompleted),
        typeof(StartMonitoringOnDetoxDroppedOut),
        typeof(RecordMissedCounselingSession),
        typeof(RecordMissedHelpGroupMeeting),
        typeof(RecordMissedDose),
        typeof(RecordReturnOnAssessmentStarted),
    ];

    public static WebApplicationBuilder AddRelapseConsumers(this WebApplicationBuilder builder) =>
        builder.AddMessageBus(
            bus => Array.ForEach(Consumers, c => bus.AddConsumer(c)),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.PrefetchCount = 16;
                // Two starts of one plan collide, and facts about one monitoring race; the inbox makes retries safe.
                endpoint.UseMessageRetry(r => r.Intervals(50, 200, 1000, 5000, 15000));
                Array.ForEach(Consumers, c => endpoint.ConfigureConsumer(context, c));
            }));
}
