using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Approval;

/// <summary>A second clinician approved the plan; doses may now be given.</summary>
public sealed record DetoxPlanApproved(Guid PlanId, Guid PatientId, Guid EpisodeId, string ApprovedBy, DateTimeOffset ApprovedAt);

public sealed record ApprovePlan(string ApprovedBy, DateTimeOffset ApprovedAt);

public sealed record ApprovePlanRequest(DateTimeOffset? ApprovedAt)
{
    /// <param name="approvedBy">The authenticated clinician approving (the token's user), never a name in the body.</param>
    public Validated<ApprovePlan> Validate(ClinicNow now, string approvedBy)
    {
        var errors = new FieldErrors();
        var approvedAt = errors.NotInFuture("approvedAt", ApprovedAt, now);
        if (errors.Any) return errors.ToError();
        return new ApprovePlan(approvedBy, approvedAt);
    }
}

public static class PlanApproval
{
    /// <summary>Four eyes before the first dose: the approving clinician is not the one who drafted the plan.</summary>
    public static Decision Decide(DetoxPlan plan, ApprovePlan command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (plan.ApprovedAt is not null)
            return DomainError.Conflict("plan-already-approved", $"Detox plan {plan.Id} was approved by {plan.ApprovedBy} at {plan.ApprovedAt:O}.",
                new Dictionary<string, object?> { ["approvedBy"] = plan.ApprovedBy, ["approvedAt"] = plan.ApprovedAt });
        if (PlanRules.SameClinician(plan.DraftedBy, command.ApprovedBy))
            return DomainError.RuleBroken("second-clinician-required",
                $"Clinician {command.ApprovedBy} drafted this plan; a second clinician must approve it.",
                values: new Dictionary<string, object?> { ["draftedBy"] = plan.DraftedBy, ["approvedBy"] = command.ApprovedBy });
        if (command.ApprovedAt < plan.DraftedAt)
            return DomainError.RuleBroken("approval-before-draft", "A plan cannot be approved before it was drafted.",
                values: new Dictionary<string, object?> { ["approvedAt"] = command.ApprovedAt, ["draftedAt"] = plan.DraftedAt });
        return Decision.Accept(new DetoxPlanApproved(plan.Id, plan.PatientId, plan.EpisodeId, command.ApprovedBy, command.ApprovedAt));
    }
}
