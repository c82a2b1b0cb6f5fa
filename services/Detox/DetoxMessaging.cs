using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Detox.Eligibility;

namespace Recovery.Detox;

public static class DetoxMessaging
{
    public const string Queue = "detox";

    /// <summary>What Detox hears: completed assessments (a plan needs one) and erasures (it seals override and switch reasons).</summary>
    private static readonly Type[] Consumers =
    [
        typeof(AssessmentCompletedConsumer),
        typeof(PatientErasure),
    ];

    public static WebApplicationBuilder AddDetoxConsumers(this WebApplicationBuilder builder) => builder.AddMessageBus(Queue, Consumers);
}
