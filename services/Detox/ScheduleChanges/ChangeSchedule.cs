using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Time;
using Recovery.Clinical;
using Recovery.Detox.Plans;

namespace Recovery.Detox.ScheduleChanges;

/// <summary>
/// A clinician drafted a change of an approved plan's dose schedule (a new daily dose, a new phase): the whole schedule as it
/// would stand, its phases counted from the medication's first dose as before. It takes effect once a second clinician approves it.
/// </summary>
public sealed record ScheduleChangeDrafted(Guid PlanId, Guid PatientId, Guid EpisodeId, Guid ChangeId, Medication Medication,
    IReadOnlyList<DosePhase> Schedule, string DraftedBy, DateTimeOffset DraftedAt);

/// <summary>A second clinician approved the change: doses from <paramref name="ApprovedAt"/> are held to its schedule.</summary>
public sealed record ScheduleChangeApproved(Guid PlanId, Guid PatientId, Guid EpisodeId, Guid ChangeId, IReadOnlyList<DosePhase> Schedule,
    string DraftedBy, DateTimeOffset DraftedAt, string ApprovedBy, DateTimeOffset ApprovedAt);

public sealed record DraftScheduleChange(Guid ChangeId, IReadOnlyList<DosePhase> Schedule, string DraftedBy, DateTimeOffset DraftedAt);

public sealed record ApproveScheduleChange(Guid ChangeId, string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>DraftedAt defaults to now; a change written on paper earlier may be entered with its real time.</summary>
public sealed record DraftScheduleChangeRequest(List<DosePhaseRequest?>? Schedule, DateTimeOffset? DraftedAt = null)
{
    /// <param name="draftedBy">The authenticated clinician drafting the change (the token's user).</param>
    public Validated<DraftScheduleChange> Validate(Guid changeId, ClinicNow now, string draftedBy)
    {
        var errors = new FieldErrors();
        // The medication's plausibility ceiling is the plan's: checked by the decision, which knows it.
        var schedule = DoseSchedule.Validate(errors, "schedule", Schedule, medication: null);
        var draftedAt = errors.NotInFuture("draftedAt", DraftedAt, now);
        if (errors.Any) return errors.ToError();
        return new DraftScheduleChange(changeId, schedule, draftedBy, draftedAt);
    }
}

public sealed record ApproveScheduleChangeRequest(DateTimeOffset? ApprovedAt = null)
{
    /// <param name="approvedBy">The authenticated clinician approving (the token's user), never a name in the body.</param>
    public Validated<ApproveScheduleChange> Validate(Validated<Guid> changeId, ClinicNow now, string approvedBy) => changeId.Then(id =>
    {
        var errors = new FieldErrors();
        var approvedAt = errors.NotInFuture("approvedAt", ApprovedAt, now);
        if (errors.Any) return (Validated<ApproveScheduleChange>)errors.ToError();
        return new ApproveScheduleChange(id, approvedBy, approvedAt);
    });
}

/// <summary>
/// A change of an approved plan's schedule goes through the same four eyes as the plan: drafted by one clinician, approved by
/// another. One change is pending at a time; a medication switch (which brings its own schedule) drops a pending change.
/// </summary>
public static class ScheduleChanging
{
    public static Decision Draft(DetoxPlan plan, DraftScheduleChange command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (PlanRules.MustBeApproved(plan) is { } unapproved) return unapproved;
        if (plan.PendingScheduleChange is { } pending)
            return DomainError.Conflict("schedule-change-pending",
                $"Schedule change {pending.ChangeId} drafted by {pending.DraftedBy} awaits a second clinician's approval; approve it first.",
                new Dictionary<string, object?> { ["changeId"] = pending.ChangeId, ["draftedBy"] = pending.DraftedBy });
        var ceiling = DoseSchedule.MaximumDailyMg(plan.Medication);
        for (var i = 0; i < command.Schedule.Count; i++)
            if (command.Schedule[i].DailyDoseMg > ceiling)
                return DomainError.Invalid($"schedule[{i}].dailyDoseMg", "request-invalid",
                    $"schedule[{i}].dailyDoseMg must be at most {ceiling} mg for {Kebab.Of(plan.Medication)}");
        if (command.Schedule.SequenceEqual(plan.Schedule))
            return DomainError.RuleBroken("schedule-unchanged", "The schedule given is the plan's current schedule; a change changes it.",
                values: new Dictionary<string, object?> { ["planId"] = plan.Id });
        if (command.DraftedAt < plan.ApprovedAt)
            return DomainError.RuleBroken("schedule-change-before-approval", "A plan's schedule cannot be changed before the plan was approved.",
                values: new Dictionary<string, object?> { ["draftedAt"] = command.DraftedAt, ["approvedAt"] = plan.ApprovedAt });
        return Decision.Accept(new ScheduleChangeDrafted(plan.Id, plan.PatientId, plan.EpisodeId, command.ChangeId, plan.Medication,
            command.Schedule, command.DraftedBy, command.DraftedAt));
    }

    public static Decision Approve(DetoxPlan plan, ApproveScheduleChange command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (plan.ScheduleChanges.FirstOrDefault(c => c.ChangeId == command.ChangeId) is { } approved)
            return DomainError.Conflict("schedule-change-already-approved",
                $"Schedule change {approved.ChangeId} was approved by {approved.ApprovedBy} at {approved.ApprovedAt:O}.",
                new Dictionary<string, object?> { ["approvedBy"] = approved.ApprovedBy, ["approvedAt"] = approved.ApprovedAt });
        if (plan.PendingScheduleChange is not { } pending || pending.ChangeId != command.ChangeId)
            return DomainError.NotFound("schedule-change-not-found", $"Detox plan {plan.Id} has no pending schedule change {command.ChangeId}.");
        if (PlanRules.SameClinician(pending.DraftedBy, command.ApprovedBy))
            return DomainError.RuleBroken("second-clinician-required",
                $"Clinician {command.ApprovedBy} drafted this schedule change; a second clinician must approve it.",
                values: new Dictionary<string, object?> { ["draftedBy"] = pending.DraftedBy, ["approvedBy"] = command.ApprovedBy });
        if (command.ApprovedAt < pending.DraftedAt)
            return DomainError.RuleBroken("approval-before-draft", "A schedule change cannot be approved before it was drafted.",
                values: new Dictionary<string, object?> { ["approvedAt"] = command.ApprovedAt, ["draftedAt"] = pending.DraftedAt });
        return Decision.Accept(new ScheduleChangeApproved(plan.Id, plan.PatientId, plan.EpisodeId, pending.ChangeId, pending.Schedule,
            pending.DraftedBy, pending.DraftedAt, command.ApprovedBy, command.ApprovedAt));
    }
}
