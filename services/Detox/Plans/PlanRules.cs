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

/// <summary>Times in requests may lie in the past (facts entered late), never in the future beyond a clock-skew tolerance.</summary>
public static class RequestTimes
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static DateTimeOffset NotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        var at = value ?? now;
        if (at > now + FutureTolerance) errors.Add(field, "cannot be in the future");
        return at;
    }

    public static DateTimeOffset RequiredNotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
            return now;
        }
        return errors.NotInFuture(field, value, now);
    }

    public static DateOnly NotInFuture(this FieldErrors errors, string field, DateOnly? value, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var on = value ?? today;
        if (on > DateOnly.FromDateTime((now + FutureTolerance).UtcDateTime)) errors.Add(field, "cannot be in the future");
        return on;
    }

    public static string? ClinicianId(this FieldErrors errors, string field, string? value) => errors.RequiredText(field, value, 64);
}
