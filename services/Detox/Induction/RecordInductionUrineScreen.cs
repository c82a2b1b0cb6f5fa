using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Induction;

/// <summary>A pre-induction urine screen for opioids.</summary>
public sealed record InductionUrineScreenRecorded(Guid PlanId, Guid PatientId, Guid EpisodeId, ScreenResult OpioidResult,
    DateTimeOffset CollectedAt);

public sealed record RecordInductionUrineScreen(ScreenResult OpioidResult, DateTimeOffset CollectedAt);

public sealed record RecordInductionUrineScreenRequest(string? OpioidResult, DateTimeOffset? CollectedAt)
{
    public Validated<RecordInductionUrineScreen> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var result = errors.OneOf<ScreenResult>("opioidResult", OpioidResult);
        var collectedAt = errors.RequiredNotInFuture("collectedAt", CollectedAt, now);
        if (errors.Any) return errors.ToError();
        return new RecordInductionUrineScreen(result, collectedAt);
    }
}

public static class InductionUrineScreens
{
    public static Decision Decide(DetoxPlan plan, RecordInductionUrineScreen command) =>
        PlanRules.MustBeOpen(plan) is { } closed
            ? closed
            : Decision.Accept(new InductionUrineScreenRecorded(plan.Id, plan.PatientId, plan.EpisodeId, command.OpioidResult,
                command.CollectedAt));
}
