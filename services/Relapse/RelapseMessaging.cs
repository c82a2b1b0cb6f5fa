using Recovery.BuildingBlocks.Privacy;
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
        // The reasons of corrections are sealed with the patient's key here too.
        typeof(PatientErasure),
    ];

    // Two starts of one plan collide, and facts about one monitoring race: the shared retry policy resolves them.
    public static WebApplicationBuilder AddRelapseConsumers(this WebApplicationBuilder builder) =>
        builder.AddMessageBus(Queue, Consumers);
}
