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

    /// <summary>What relapse tracking hears from the other services: detox endings, missed visits and their corrections, new assessments.</summary>
    private static readonly Type[] Consumers =
    [
        typeof(StartMonitoringOnDetoxCompleted),
        typeof(StartMonitoringOnDetoxDroppedOut),
        typeof(RecordMissedCounselingSession),
        typeof(RecordMissedHelpGroupMeeting),
        typeof(RecordMissedDose),
        typeof(RecordReturnOnAssessmentStarted),
        // A no-show entered in error at Counseling takes back the missed visit it reported.
        typeof(DropMissedVisitOnFactEnteredInError),
        // The reasons of corrections are sealed with the patient's key here too.
        typeof(PatientErasure),
    ];

    // Two starts of one plan collide, and facts about one monitoring race: the shared retry policy resolves them.
    public static WebApplicationBuilder AddRelapseConsumers(this WebApplicationBuilder builder) =>
        builder.AddMessageBus(Queue, Consumers);
}
