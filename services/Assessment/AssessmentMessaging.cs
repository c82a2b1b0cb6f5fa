using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment;

public static class AssessmentMessaging
{
    public const string Queue = "assessment";

    /// <summary>What Assessment hears from the network: only erasures (it seals names, birth dates and contacts).</summary>
    private static readonly Type[] Consumers =
    [
        typeof(PatientErasure),
    ];

    public static WebApplicationBuilder AddAssessmentConsumers(this WebApplicationBuilder builder) => builder.AddMessageBus(Queue, Consumers);
}
