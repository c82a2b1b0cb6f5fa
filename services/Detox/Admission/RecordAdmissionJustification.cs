using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Time;
using Recovery.Clinical;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Admission;

/// <summary>
/// Why a patient whose assessment does not itself qualify for an opioid treatment program is admitted to methadone
/// (42 CFR 8.12(e) as revised in 2024: moderate-to-severe OUD, OUD in remission, or high risk of recurrence or overdose).
/// </summary>
public enum AdmissionBasis
{
    OudInRemission,
    HighRiskOfRecurrenceOrOverdose,
}

/// <summary>
/// The prescriber recorded the admission basis for methadone. The reason is free text about a person: sealed with the
/// patient's key and never published.
/// </summary>
public sealed record AdmissionJustificationRecorded(Guid PlanId, Guid PatientId, Guid EpisodeId, AdmissionBasis Basis, Sealed Reason,
    string RecordedBy, DateTimeOffset RecordedAt);

public sealed record RecordAdmissionJustification(AdmissionBasis Basis, string Reason, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record RecordAdmissionJustificationRequest(string? Basis, string? Reason)
{
    /// <param name="recordedBy">The authenticated prescriber (the token's user), never a name in the body.</param>
    public Validated<RecordAdmissionJustification> Validate(ClinicNow now, string recordedBy)
    {
        var errors = new FieldErrors();
        var basis = errors.OneOf<AdmissionBasis>("basis", Basis);
        var reason = errors.RequiredText("reason", Reason, 500);
        if (errors.Any) return errors.ToError();
        return new RecordAdmissionJustification(basis, reason!, recordedBy, now);
    }
}

public static class AdmissionJustifications
{
    /// <param name="seal">Seals the reason with the patient's key.</param>
    public static Decision Decide(DetoxPlan plan, RecordAdmissionJustification command, Sealer seal) =>
        PlanRules.MustBeOpen(plan) is { } closed
            ? closed
            : Decision.Accept(new AdmissionJustificationRecorded(plan.Id, plan.PatientId, plan.EpisodeId, command.Basis, seal(command.Reason),
                command.RecordedBy, command.RecordedAt));
}

/// <summary>Who may start methadone in an opioid treatment program, by the assessment Detox learned from the bus.</summary>
public static class AdmissionRules
{
    /// <summary>
    /// Methadone's first dose for mild OUD (2-3 DSM-5 criteria), or when Detox does not know the assessment's severity, needs
    /// an admission basis recorded on the plan (42 CFR 8.12(e), 2024: OTPs admit moderate-to-severe OUD, OUD in remission, or
    /// high risk of recurrence or overdose). Moderate and severe OUD qualify by themselves.
    /// </summary>
    public static DomainError? MethadoneAdmissionUnjustified(DetoxPlan plan, CompletedAssessment? assessment)
    {
        if (plan.Medication != Medication.Methadone || plan.AdmissionJustification is not null) return null;
        var known = Kebab.TryParse<OudSeverity>(assessment?.Severity, out var severity);
        if (known && severity is OudSeverity.Moderate or OudSeverity.Severe) return null;
        return DomainError.RuleBroken("methadone-admission-justification-required",
            known
                ? $"The assessment found {Kebab.Of(severity)} opioid use disorder ({assessment!.CriteriaCounted} criteria); methadone in an " +
                  "opioid treatment program needs a recorded admission basis (in remission, or high risk of recurrence or overdose)."
                : "Detox does not know the assessment's severity; methadone needs a recorded admission basis.",
            values: new Dictionary<string, object?>
            {
                ["severity"] = assessment?.Severity, ["criteriaCounted"] = assessment?.CriteriaCounted,
                ["bases"] = Kebab.AllOf<AdmissionBasis>(),
            });
    }
}
