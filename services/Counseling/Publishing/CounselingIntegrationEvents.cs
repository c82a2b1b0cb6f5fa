using Recovery.BuildingBlocks.Corrections;
using Recovery.Counseling.Corrections;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;
using Recovery.BuildingBlocks.Time;
using JasperFx.Events;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Sessions;
using V1 = Recovery.Contracts.Counseling.V1;

namespace Recovery.Counseling.Publishing;

/// <summary>
/// The gateway from Counseling's private events to its public contracts. Session notes never leave the
/// service (nor do cancellation reasons); group set-up and leaving a group are not published.
/// </summary>
public sealed class CounselingIntegrationEvents(ClinicClock? clock = null) : IntegrationEventMap(clock)
{
    public override object? ToIntegrationEvent(IEvent e)
    {
        var clinic = e.TenantId;
        var at = e.Timestamp;
        return e.Data switch
        {
            CounselingSessionScheduled s => new V1.CounselingSessionScheduled(s.PatientId, clinic, s.EpisodeId, at, s.SessionId,
                s.ScheduledFor, s.CounselorId),
            CounselingSessionAttended a => At(new V1.CounselingSessionAttended(a.PatientId, clinic, a.EpisodeId, at, a.SessionId,
                a.AttendedAt, a.DurationMinutes), a.AttendedAt),
            CounselingSessionCancelled c => At(new V1.CounselingSessionCancelled(c.PatientId, clinic, c.EpisodeId, at, c.SessionId,
                c.ScheduledFor ?? c.CancelledAt), c.CancelledAt),
            CounselingSessionMissed m => At(new V1.CounselingSessionMissed(m.PatientId, clinic, m.EpisodeId, at, m.SessionId, m.ScheduledFor),
                m.ScheduledFor),
            HelpGroupEnrolled g => On(new V1.HelpGroupEnrolled(g.PatientId, clinic, g.EpisodeId, at, g.GroupId, g.GroupName), g.EnrolledOn, clinic),
            HelpGroupMeetingAttended g => On(new V1.HelpGroupMeetingAttended(g.PatientId, clinic, g.EpisodeId, at, g.GroupId, g.MeetingOn),
                g.MeetingOn, clinic),
            HelpGroupMeetingMissed g => On(new V1.HelpGroupMeetingMissed(g.PatientId, clinic, g.EpisodeId, at, g.GroupId, g.MeetingOn),
                g.MeetingOn, clinic),
            FactEnteredInError f => new CorrectionsV1.FactEnteredInError(f.PatientId, clinic, f.EpisodeId, at, f.FactEventId, f.Kind),
            AttendanceAmended a => At(new V1.CounselingSessionAttended(a.Replacement.PatientId, clinic, a.Replacement.EpisodeId, at,
                a.Replacement.SessionId, a.Replacement.AttendedAt, a.Replacement.DurationMinutes) { Amends = a.FactEventId }, a.Replacement.AttendedAt),
            _ => null,
        };
    }
}
