using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Closing;

/// <summary>The detox was completed as planned.</summary>
public sealed record DetoxCompleted(Guid PlanId, Guid PatientId, Guid EpisodeId, Medication Medication, DateOnly CompletedOn,
    int DaysInTreatment);

/// <summary>The patient left detox before completion.</summary>
public sealed record DetoxDroppedOut(Guid PlanId, Guid PatientId, Guid EpisodeId, Medication Medication, DateOnly DroppedOutOn,
    DropoutReason Reason, int DaysInTreatment);

public sealed record CompleteDetox(DateOnly CompletedOn);

public sealed record RecordDropout(DropoutReason Reason, DateOnly DroppedOutOn);

public sealed record CompleteDetoxRequest(DateOnly? CompletedOn)
{
    public Validated<CompleteDetox> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var on = errors.NotInFuture("completedOn", CompletedOn, now);
        if (errors.Any) return errors.ToError();
        return new CompleteDetox(on);
    }
}

public sealed record RecordDropoutRequest(string? Reason, DateOnly? DroppedOutOn)
{
    public Validated<RecordDropout> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var reason = errors.OneOf<DropoutReason>("reason", Reason);
        var on = errors.NotInFuture("droppedOutOn", DroppedOutOn, now);
        if (errors.Any) return errors.ToError();
        return new RecordDropout(reason, on);
    }
}

/// <summary>Completion or dropout closes a plan; after it nothing more is recorded on the plan.</summary>
public static class DetoxClosing
{
    /// <summary>
    /// Days in treatment count calendar (UTC) days from the first dose's day to the closing day, both included:
    /// the first-dose day is day 1. A plan closed before any dose has 0.
    /// </summary>
    public static int DaysInTreatment(DetoxPlan plan, DateOnly closedOn) =>
        plan.Doses.Count == 0 ? 0 : closedOn.DayNumber - DateOnly.FromDateTime(plan.Doses.Min(d => d.GivenAt).UtcDateTime).DayNumber + 1;

    public static Decision Complete(DetoxPlan plan, CompleteDetox command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (plan.Doses.Count == 0)
            return DomainError.RuleBroken("no-dose-given", "A detox is completed only after at least one dose was given.",
                values: new Dictionary<string, object?> { ["planId"] = plan.Id, ["status"] = Kebab.Of(plan.Status) });
        if (TooEarly(plan, command.CompletedOn) is { } early) return early;
        return Decision.Accept(new DetoxCompleted(plan.Id, plan.PatientId, plan.EpisodeId, plan.Medication, command.CompletedOn,
            DaysInTreatment(plan, command.CompletedOn)));
    }

    public static Decision DropOut(DetoxPlan plan, RecordDropout command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (TooEarly(plan, command.DroppedOutOn) is { } early) return early;
        return Decision.Accept(new DetoxDroppedOut(plan.Id, plan.PatientId, plan.EpisodeId, plan.Medication, command.DroppedOutOn,
            command.Reason, DaysInTreatment(plan, command.DroppedOutOn)));
    }

    // A plan cannot close before it was drafted, nor before a dose it records.
    private static DomainError? TooEarly(DetoxPlan plan, DateOnly on)
    {
        var earliest = DateOnly.FromDateTime(plan.DraftedAt.UtcDateTime);
        if (plan.Doses.Count > 0 && DateOnly.FromDateTime(plan.Doses.Max(d => d.GivenAt).UtcDateTime) is var lastDose && lastDose > earliest)
            earliest = lastDose;
        return on < earliest
            ? DomainError.RuleBroken("closing-date-too-early",
                $"The plan cannot close on {on:yyyy-MM-dd}: it was drafted or last dosed on {earliest:yyyy-MM-dd}.",
                values: new Dictionary<string, object?> { ["closedOn"] = on, ["earliestDate"] = earliest })
            : null;
    }
}
