using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;
using Recovery.Counseling.Sessions;

namespace Recovery.Counseling.Corrections;

/// <summary>An attendance was amended: <see cref="Replacement"/> is the attendance as it should have been recorded.</summary>
public sealed record AttendanceAmended(Guid FactEventId, long FactVersion, CounselingSessionAttended Replacement, Sealed Reason);

/// <summary>The values of an attendance's amendment.</summary>
public sealed record AttendanceAmendment(int? DurationMinutes);

public static class SessionCorrections
{
    /// <summary>
    /// The session's outcome (attended, no-show, cancelled) entered in error puts the session back to scheduled, so the right
    /// outcome can be recorded; an attendance's duration can be amended. Scheduling itself is corrected by cancelling.
    /// </summary>
    public static Decision Decide(CounselingSession session, FactRef fact, Correction correction, Guid? episodeId, Sealer seal)
    {
        if (session.Corrected.Contains(fact.Version)) return BuildingBlocks.Corrections.Corrections.AlreadyCorrected(fact);
        var isOutcome = fact.Data is CounselingSessionAttended or CounselingSessionMissed or CounselingSessionCancelled;
        if (!isOutcome || correction.IsAmendment && fact.Data is not CounselingSessionAttended)
            return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, correction.IsAmendment);
        if (session.OutcomeAtVersion != fact.Version)
            return DomainError.Conflict("fact-superseded", $"Fact {fact.EventId} is no longer the session's outcome.",
                new Dictionary<string, object?> { ["eventId"] = fact.EventId });

        if (!correction.IsAmendment)
            return Decision.Accept(new FactEnteredInError(fact.EventId, fact.Version, fact.Kind, session.PatientId,
                episodeId, seal(correction.Reason)));
        var amendment = correction.ValuesAs<AttendanceAmendment>((v, errors) =>
        {
            SessionRules.CheckDuration(errors, "durationMinutes", errors.Required("durationMinutes", v.DurationMinutes));
            return v;
        });
        if (amendment.Error is { } invalid) return invalid;
        var attended = (CounselingSessionAttended)fact.Data;
        return Decision.Accept(new AttendanceAmended(fact.EventId, fact.Version, attended with { DurationMinutes = amendment.Value!.DurationMinutes!.Value },
            seal(correction.Reason)));
    }
}
