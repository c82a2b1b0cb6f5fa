using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling;

public static class CounselingMessaging
{
    public const string Queue = "counseling";

    /// <summary>
    /// What Counseling hears: which patients each clinic registered (and which registrations were entered in error) and when
    /// their episodes start (Assessment), and
    /// erasures (it seals session notes and cancellation reasons).
    /// </summary>
    private static readonly Type[] Consumers =
    [
        typeof(PatientRegisteredConsumer),
        typeof(RegistrationEnteredInErrorConsumer),
        typeof(AssessmentStartedConsumer),
        typeof(PatientErasure),
    ];

    public static WebApplicationBuilder AddCounselingConsumers(this WebApplicationBuilder builder) => builder.AddMessageBus(Queue, Consumers);
}
