using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;

namespace Recovery.Detox.Plans;

/// <summary>Refusals shared by the commands on a plan.</summary>
public static class PlanRules
{
    public static DomainError? MustBeOpen(DetoxPlan plan) =>
        plan.Closing is { } closing
            ? DomainError.Conflict("plan-closed",
                $"Detox plan {plan.Id} was {Kebab.Of(closing.Outcome)} on {closing.On:yyyy-MM-dd}; nothing more can be recorded on it.",
                new Dictionary<string, object?> { ["planId"] = plan.Id, ["status"] = Kebab.Of(plan.Status), ["closedOn"] = closing.On })
            : null;

    public static DomainError? MustBeApproved(DetoxPlan plan) =>
        plan.ApprovedAt is null
            ? DomainError.RuleBroken("plan-not-approved",
                $"Detox plan {plan.Id} needs a second clinician's approval before any dose.",
                values: new Dictionary<string, object?> { ["planId"] = plan.Id, ["draftedBy"] = plan.DraftedBy })
            : null;

    /// <summary>The clinician ids on a plan compare without regard to case or surrounding spaces.</summary>
    public static bool SameClinician(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

