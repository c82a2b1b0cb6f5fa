using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Counseling.Sessions;

/// <summary>The patient did not come to the session. Relapse tracking counts it as a missed visit.</summary>
public sealed record CounselingSessionMissed(
    Guid SessionId,
    Guid PatientId,
    Guid? EpisodeId,
    DateTimeOffset ScheduledFor,
    DateTimeOffset RecordedAt);

public sealed record RecordNoShow(DateTimeOffset Now);

public static class SessionNoShow
{
    /// <param name="episodeId">The patient's current episode at this clinic.</param>
    public static Decision Decide(CounselingSession session, RecordNoShow command, Guid? episodeId)
    {
        if (SessionRules.MustBeOpen(session) is { } closed) return closed;
        // A session that has not begun cannot have been missed; a patient who calls off early cancels.
        if (command.Now < session.ScheduledFor)
            return DomainError.RuleBroken("session-not-yet-due",
                $"Session {session.Id} is scheduled for {session.ScheduledFor:O}; a no-show can be recorded only from then on.",
                values: new Dictionary<string, object?> { ["scheduledFor"] = session.ScheduledFor, ["now"] = command.Now });

        return Decision.Accept(new CounselingSessionMissed(session.Id, session.PatientId, episodeId, session.ScheduledFor, command.Now));
    }
}
