using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Switching;

/// <summary>
/// The plan switched medication with a new schedule; the next dose of the new medication is a new induction. The reason
/// is free text about a person: sealed with the patient's key and never published.
/// </summary>
public sealed record MedicationSwitched(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    Medication From,
    Medication To,
    IReadOnlyList<DosePhase> Schedule,
    Sealed Reason,
    string SwitchedBy,
    DateTimeOffset SwitchedAt);

public sealed record SwitchMedication(Medication To, IReadOnlyList<DosePhase> Schedule, string Reason, string SwitchedBy, DateTimeOffset Now);

public sealed record SwitchMedicationRequest(string? ToMedication, List<DosePhaseRequest?>? Schedule, string? Reason)
{
    /// <param name="switchedBy">The authenticated clinician (the token's user), never a name in the body.</param>
    public Validated<SwitchMedication> Validate(ClinicNow now, string switchedBy)
    {
        var errors = new FieldErrors();
        Medication? to = Kebab.TryParse<Medication>(ToMedication, out var m) ? m : null;
        if (to is null) errors.Add("toMedication", $"must be one of {string.Join(", ", Kebab.AllOf<Medication>())}");
        var schedule = DoseSchedule.Validate(errors, "schedule", Schedule, to);
        var reason = errors.RequiredText("reason", Reason, 500);
        if (errors.Any) return errors.ToError();
        return new SwitchMedication(to!.Value, schedule, reason!, switchedBy, now);
    }
}

public static class MedicationSwitching
{
    /// <param name="seal">Seals the reason with the patient's key.</param>
    public static Decision Decide(DetoxPlan plan, SwitchMedication command, Sealer seal)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (command.To == plan.Medication)
            return DomainError.RuleBroken("switch-to-same-medication",
                $"The plan is already on {Kebab.Of(plan.Medication)}; a switch names a different medication.",
                values: new Dictionary<string, object?> { ["medication"] = Kebab.Of(plan.Medication) });
        return Decision.Accept(new MedicationSwitched(plan.Id, plan.PatientId, plan.EpisodeId, plan.Medication, command.To, command.Schedule,
            seal(command.Reason), command.SwitchedBy, command.Now));
    }
}
