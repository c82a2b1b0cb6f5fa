using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Induction;

/// <summary>The patient's last opioid use before induction: which kind, and when.</summary>
public sealed record LastOpioidUseRecorded(Guid PlanId, Guid PatientId, Guid EpisodeId, OpioidKind Kind, DateTimeOffset UsedAt);

public sealed record RecordLastOpioidUse(OpioidKind Kind, DateTimeOffset UsedAt);

public sealed record RecordLastOpioidUseRequest(string? Kind, DateTimeOffset? UsedAt)
{
    public Validated<RecordLastOpioidUse> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var kind = errors.OneOf<OpioidKind>("kind", Kind);
        var usedAt = errors.RequiredNotInFuture("usedAt", UsedAt, now);
        if (errors.Any) return errors.ToError();
        return new RecordLastOpioidUse(kind, usedAt);
    }
}

public static class LastOpioidUse
{
    /// <summary>
    /// Every use recorded stays on the plan and the induction rules weigh them all, so a later record can add a more
    /// recent use but never shorten a wait that an earlier record imposes.
    /// </summary>
    public static Decision Decide(DetoxPlan plan, RecordLastOpioidUse command) =>
        PlanRules.MustBeOpen(plan) is { } closed
            ? closed
            : Decision.Accept(new LastOpioidUseRecorded(plan.Id, plan.PatientId, plan.EpisodeId, command.Kind, command.UsedAt));
}
