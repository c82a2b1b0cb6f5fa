using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Dosing;

/// <summary>
/// A dose was given. FirstDose marks the induction of the plan's current medication; OverrideReason is the documented
/// reason when the dose went above the clinic's methadone cap (null otherwise): free text about a person, so sealed with
/// the patient's key and published only as the fact that the cap was overridden.
/// </summary>
public sealed record DoseGiven(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    Medication Medication,
    decimal DoseMg,
    DateTimeOffset GivenAt,
    string GivenBy,
    bool FirstDose,
    Sealed? OverrideReason);

public sealed record GiveDose(Medication Medication, decimal DoseMg, DateTimeOffset GivenAt, string GivenBy, string? OverrideReason);

public sealed record GiveDoseRequest(string? Medication, decimal? DoseMg, DateTimeOffset? GivenAt, string? OverrideReason)
{
    /// <param name="givenBy">The authenticated user recording the dose (the token's user), never a name in the body.</param>
    public Validated<GiveDose> Validate(ClinicNow now, string givenBy)
    {
        var errors = new FieldErrors();
        Medication? medication = Kebab.TryParse<Medication>(Medication, out var m) ? m : null;
        if (medication is null) errors.Add("medication", $"must be one of {string.Join(", ", Kebab.AllOf<Medication>())}");
        if (errors.Required("doseMg", DoseMg) is { } mg)
        {
            if (mg <= 0) errors.Add("doseMg", "must be more than 0");
            else if (medication is { } known && mg > DoseSchedule.MaximumDailyMg(known))
                errors.Add("doseMg", $"must be at most {DoseSchedule.MaximumDailyMg(known)} mg for {Kebab.Of(known)}");
        }
        var givenAt = errors.RequiredNotInFuture("givenAt", GivenAt, now);
        if (OverrideReason is not null && (string.IsNullOrWhiteSpace(OverrideReason) || OverrideReason.Length > 500))
            errors.Add("overrideReason", "when given, must be 1-500 characters");
        if (errors.Any) return errors.ToError();
        return new GiveDose(medication!.Value, DoseMg!.Value, givenAt, givenBy, OverrideReason?.Trim());
    }
}

public static class Doses
{
    /// <summary>
    /// A dose of the plan's current medication, after approval. The first dose of a medication is its induction and must
    /// meet that medication's induction rules; methadone on day 1 is capped unless the dose documents why.
    /// </summary>
    /// <param name="seal">Seals an override reason with the patient's key.</param>
    public static Decision Decide(DetoxPlan plan, GiveDose command, InductionProtocol protocol, Sealer seal)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (PlanRules.MustBeApproved(plan) is { } unapproved) return unapproved;
        if (command.Medication != plan.Medication)
            return DomainError.RuleBroken("dose-medication-mismatch",
                $"The plan's medication is {Kebab.Of(plan.Medication)}, not {Kebab.Of(command.Medication)}; switch the medication first.",
                values: new Dictionary<string, object?> { ["medication"] = Kebab.Of(command.Medication), ["planMedication"] = Kebab.Of(plan.Medication) });
        if (command.GivenAt < plan.ApprovedAt)
            return DomainError.RuleBroken("dose-before-approval", "A dose cannot have been given before the plan was approved.",
                values: new Dictionary<string, object?> { ["givenAt"] = command.GivenAt, ["approvedAt"] = plan.ApprovedAt });

        var first = plan.CourseFirstDose();
        if (first is not null && command.GivenAt < first.GivenAt)
            return DomainError.RuleBroken("dose-before-first-dose",
                "A dose cannot precede the medication's first dose: the induction rules were judged on that dose.",
                values: new Dictionary<string, object?> { ["givenAt"] = command.GivenAt, ["firstDoseAt"] = first.GivenAt });
        if (first is null && InductionRules.Unmet(plan, command.GivenAt, protocol) is [var unmet, ..]) return unmet;

        var cap = InductionRules.MethadoneCapBroken(plan, command.DoseMg, command.GivenAt, protocol);
        if (cap is not null && command.OverrideReason is null) return cap;

        return Decision.Accept(new DoseGiven(plan.Id, plan.PatientId, plan.EpisodeId, command.Medication, command.DoseMg, command.GivenAt,
            command.GivenBy, FirstDose: first is null, OverrideReason: cap is null ? null : seal(command.OverrideReason!)));
    }
}
