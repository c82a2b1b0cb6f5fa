using Marten;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Dosing;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Induction;

namespace Recovery.Detox.Plans;

/// <summary>
/// What the decisions and the view of a plan read besides its state: the clinic's induction and dosing protocols, and the
/// assessment of the plan's episode as Detox learned it from the bus (its QTc and severity; null when not known).
/// </summary>
public sealed record PlanNeeds(InductionProtocol Induction, DosingProtocol Dosing, CompletedAssessment? Assessment)
{
    public static async Task<PlanNeeds> Load(IQuerySession session, string clinicId, Guid? episodeId,
        ClinicProtocols<InductionProtocol> induction, ClinicProtocols<DosingProtocol> dosing, CancellationToken ct) =>
        new(induction.For(clinicId), dosing.For(clinicId), episodeId is { } id ? await session.LoadAsync<CompletedAssessment>(id, ct) : null);

    internal static Task<PlanNeeds> Of(DetoxPlan? plan, object _, CommandContext context) =>
        Load(context.Session, context.ClinicId, plan?.EpisodeId, context.Service<ClinicProtocols<InductionProtocol>>(),
            context.Service<ClinicProtocols<DosingProtocol>>(), context.Cancellation);
}
