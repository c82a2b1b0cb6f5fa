using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Admission;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Dosing;

/// <summary>
/// A dose was given. FirstDose marks the induction of the plan's current medication. OverrideReason is the documented reason
/// when the dose went beyond a limit (null otherwise): free text about a person, so sealed with the patient's key and published
/// only as the fact that a limit was overridden. Overrides names the limits it went beyond (the rules), by GivenBy, the
/// authenticated prescriber; AcknowledgedQtcMs the intake QTc the prescriber acknowledged on a methadone first dose.
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
    Sealed? OverrideReason,
    IReadOnlyList<string>? Overrides = null,
    int? AcknowledgedQtcMs = null);

public sealed record GiveDose(Medication Medication, decimal DoseMg, DateTimeOffset GivenAt, string GivenBy, string? OverrideReason,
    bool QtcAcknowledged = false);

/// <param name="QtcAcknowledged">The prescriber acknowledges the intake's QTc finding (methadone's first dose).</param>
public sealed record GiveDoseRequest(string? Medication, decimal? DoseMg, DateTimeOffset? GivenAt, string? OverrideReason,
    bool? QtcAcknowledged = null)
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
        return new GiveDose(medication!.Value, DoseMg!.Value, givenAt, givenBy, OverrideReason?.Trim(), QtcAcknowledged ?? false);
    }
}

public static class Doses
{
    /// <summary>
    /// A dose of the plan's current medication, after approval. The first dose of a medication is its induction: it must meet
    /// that medication's induction rules, and methadone's the admission basis and the intake's QTc. Every dose is held to its
    /// amount limits (<see cref="DoseLimits"/>): the first-day caps, titration, daily maxima and the approved schedule. A dose
    /// beyond any of them needs an overrideReason; without one the refusal is the first limit broken, naming all of them.
    /// </summary>
    /// <param name="seal">Seals an override reason with the patient's key.</param>
    public static Decision Decide(DetoxPlan plan, GiveDose command, PlanNeeds needs, Sealer seal)
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

        var beyond = new List<DomainError>();
        QtcFinding? qtc = null;
        if (first is null)
        {
            if (InductionRules.Unmet(plan, command.GivenAt, needs.Induction) is [var unmet, ..]) return unmet;
            if (AdmissionRules.MethadoneAdmissionUnjustified(plan, needs.Assessment) is { } admission) return admission;
            qtc = InductionRules.MethadoneQtc(plan, needs.Assessment, needs.Induction);
            if (qtc is not null && !command.QtcAcknowledged) return qtc.Refusal;
            if (qtc is { Override: true }) beyond.Add(qtc.Refusal);
        }
        beyond.AddRange(DoseLimits.Exceeded(plan, command.DoseMg, command.GivenAt, needs));
        if (beyond.Count > 0 && command.OverrideReason is null) return Naming(beyond);

        return Decision.Accept(new DoseGiven(plan.Id, plan.PatientId, plan.EpisodeId, command.Medication, command.DoseMg, command.GivenAt,
            command.GivenBy, FirstDose: first is null, OverrideReason: beyond.Count == 0 ? null : seal(command.OverrideReason!),
            Overrides: beyond.Count == 0 ? null : beyond.Select(e => e.Rule).ToList(), AcknowledgedQtcMs: qtc?.QtcMs));
    }

    /// <summary>The first limit broken, its values also naming every limit the dose goes beyond (one overrideReason covers them all),
    /// and the fields it concerns: the dose, and the override reason that would let it through (forms show each under its field).</summary>
    private static DomainError Naming(IReadOnlyList<DomainError> beyond)
    {
        var values = new Dictionary<string, object?>(beyond[0].Values ?? new Dictionary<string, object?>())
        {
            ["exceeds"] = beyond.Select(e => e.Rule).ToList(),
        };
        var errors = new Dictionary<string, string[]>(beyond[0].Errors ?? new Dictionary<string, string[]>())
        {
            ["doseMg"] = beyond.Select(e => e.Message).ToArray(),
            ["overrideReason"] = [$"required to go beyond {string.Join(", ", beyond.Select(e => e.Rule))}; it is recorded with the dose"],
        };
        return beyond[0] with { Values = values, Errors = errors };
    }
}
