using Recovery.Assessment.Criteria;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;

namespace Recovery.Assessment.Corrections;

/// <summary>A lab result was amended: <see cref="Replacement"/> is the result as it should have been recorded.</summary>
public sealed record LabResultAmended(Guid FactEventId, long FactVersion, LabResultRecorded Replacement, Sealed Reason);

/// <summary>The values of a lab result's amendment.</summary>
public sealed record LabResultAmendment(string? Result);

public static class AssessmentCorrections
{
    /// <summary>
    /// While the assessment is in progress, its criteria, cardiovascular status, a lab result or a COWS score can be marked
    /// entered in error, and a lab result amended; completion then needs what is still missing, and the severity follows the
    /// criteria in force. A completed assessment's facts stand: the detox was planned on them.
    /// </summary>
    public static Decision Decide(AssessmentEpisode assessment, FactRef fact, Correction correction, Sealer seal)
    {
        if (assessment.Status != AssessmentStatus.InProgress)
            return DomainError.Conflict("assessment-completed",
                $"Assessment {assessment.Id} is completed; its facts were relied on when it was completed and cannot be corrected here.",
                new Dictionary<string, object?> { ["assessmentId"] = assessment.Id, ["eventId"] = fact.EventId });
        if (assessment.Corrected.Contains(fact.Version)) return BuildingBlocks.Corrections.Corrections.AlreadyCorrected(fact);

        if (correction.IsAmendment)
        {
            if (fact.Data is not LabResultRecorded lab) return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: true);
            var amendment = correction.ValuesAs<LabResultAmendment>((v, errors) =>
            {
                errors.OneOf<LabOutcome>("result", v.Result);
                return v;
            });
            if (amendment.Error is { } invalid) return invalid;
            Kebab.TryParse<LabOutcome>(amendment.Value!.Result, out var result);
            return Decision.Accept(new LabResultAmended(fact.EventId, fact.Version, lab with { Result = result }, seal(correction.Reason)));
        }

        // A criteria or cardiovascular record replaced by a later one is no longer in force: only the later one can be corrected.
        var superseded = fact.Data switch
        {
            OudCriteriaRecorded => assessment.CriteriaAtVersion != fact.Version,
            CardiovascularStatusRecorded => assessment.CardiovascularAtVersion != fact.Version,
            LabResultRecorded or WithdrawalScored => false,
            _ => (bool?)null,
        };
        if (superseded is null) return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: false);
        if (superseded == true)
            return DomainError.Conflict("fact-superseded", $"Fact {fact.EventId} was replaced by a later recording; correct that one.",
                new Dictionary<string, object?> { ["eventId"] = fact.EventId });
        return Decision.Accept(new FactEnteredInError(fact.EventId, fact.Version, fact.Kind, assessment.PatientId,
            assessment.Id, seal(correction.Reason)));
    }
}
