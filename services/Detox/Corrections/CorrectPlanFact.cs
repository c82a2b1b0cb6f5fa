using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Withdrawal;

namespace Recovery.Detox.Corrections;

/// <summary>A dose's amount was amended: <see cref="Replacement"/> is the dose as it should have been recorded.</summary>
public sealed record DoseAmended(Guid FactEventId, long FactVersion, DoseGiven Replacement, Sealed Reason);

/// <summary>The values of a dose's amendment.</summary>
public sealed record DoseAmendment(decimal? DoseMg);

public static class PlanCorrections
{
    /// <summary>
    /// A fact of the plan entered in error, or a dose's amount amended: from then on the plan's rules (caps, induction)
    /// read the plan as corrected. A fact a later fact relied on stays: the first dose was judged on the last use, the
    /// screens and the COWS checks before it, and the later doses of its course on the first dose.
    /// </summary>
    public static Decision Decide(DetoxPlan plan, FactRef fact, Correction correction, InductionProtocol protocol, Sealer seal)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;
        if (plan.Corrected.Contains(fact.Version)) return BuildingBlocks.Corrections.Corrections.AlreadyCorrected(fact);
        var firstDose = plan.CourseFirstDose();

        if (correction.IsAmendment)
        {
            if (fact.Data is not DoseGiven given) return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: true);
            var amendment = correction.ValuesAs<DoseAmendment>((v, errors) =>
            {
                if (errors.Required("doseMg", v.DoseMg) is { } mg && (mg <= 0 || mg > DoseSchedule.MaximumDailyMg(given.Medication)))
                    errors.Add("doseMg", $"must be more than 0 and at most {DoseSchedule.MaximumDailyMg(given.Medication)} mg");
                return v;
            });
            if (amendment.Error is { } invalid) return invalid;
            var corrected = given with { DoseMg = amendment.Value!.DoseMg!.Value };
            // The amended amount meets the caps as a dose of that amount would have, without the dose it replaces.
            var without = plan with { Doses = plan.Doses.Where(d => d.AtVersion != fact.Version).ToList() };
            if (given.OverrideReason is null &&
                InductionRules.MethadoneCapBroken(without, corrected.DoseMg, corrected.GivenAt, protocol) is { } cap) return cap;
            return Decision.Accept(new DoseAmended(fact.EventId, fact.Version, corrected, seal(correction.Reason)));
        }

        var reliedOn = fact.Data switch
        {
            DoseGiven d when firstDose is not null && d.GivenAt == firstDose.GivenAt && plan.Doses.Any(x => x.Course == plan.Course && x.GivenAt > d.GivenAt)
                => "the later doses of its course",
            WithdrawalChecked c when firstDose is not null && c.ScoredAt <= firstDose.GivenAt => "the first dose",
            LastOpioidUseRecorded u when firstDose is not null && u.UsedAt <= firstDose.GivenAt => "the first dose",
            InductionUrineScreenRecorded s when firstDose is not null && s.CollectedAt <= firstDose.GivenAt => "the first dose",
            DoseGiven or WithdrawalChecked or LastOpioidUseRecorded or InductionUrineScreenRecorded => null,
            _ => "",
        };
        if (reliedOn == "") return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: false);
        if (reliedOn is not null)
            return DomainError.Conflict("fact-relied-on",
                $"Fact {fact.EventId} cannot be marked entered in error: {reliedOn} was judged on it. Record the correction of that first.",
                new Dictionary<string, object?> { ["eventId"] = fact.EventId, ["reliedOnBy"] = reliedOn });
        return Decision.Accept(new FactEnteredInError(fact.EventId, fact.Version, fact.Kind, plan.PatientId,
            plan.EpisodeId, seal(correction.Reason)));
    }
}
