using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Dosing;

/// <summary>A scheduled dose was not taken: the patient did not come that day.</summary>
public sealed record DoseMissed(Guid PlanId, Guid PatientId, Guid EpisodeId, DateOnly MissedOn);

public sealed record RecordMissedDose(DateOnly MissedOn);

public sealed record RecordMissedDoseRequest(DateOnly? MissedOn)
{
    public Validated<RecordMissedDose> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        errors.Required("missedOn", MissedOn);
        var missedOn = errors.NotInFuture("missedOn", MissedOn, now);
        if (errors.Any) return errors.ToError();
        return new RecordMissedDose(missedOn);
    }
}

public static class MissedDoses
{
    /// <summary>Doses are scheduled from approval on; one missed dose per day, so a missed visit is counted once.</summary>
    public static Decision Decide(DetoxPlan plan, RecordMissedDose command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (PlanRules.MustBeApproved(plan) is { } unapproved) return unapproved;
        var approvedOn = DateOnly.FromDateTime(plan.ApprovedAt!.Value.UtcDateTime);
        if (command.MissedOn < approvedOn)
            return DomainError.RuleBroken("missed-dose-before-approval", "No dose was scheduled before the plan was approved.",
                values: new Dictionary<string, object?> { ["missedOn"] = command.MissedOn, ["approvedOn"] = approvedOn });
        if (plan.MissedDoses.Contains(command.MissedOn))
            return DomainError.Conflict("missed-dose-already-recorded", $"A missed dose on {command.MissedOn:yyyy-MM-dd} is already recorded.",
                new Dictionary<string, object?> { ["missedOn"] = command.MissedOn });
        return Decision.Accept(new DoseMissed(plan.Id, plan.PatientId, plan.EpisodeId, command.MissedOn));
    }
}
