using System.Text.Json;
using JasperFx.Events;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Publishing;
using Recovery.Counseling.Sessions;
using V1 = Recovery.Contracts.Counseling.V1;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class PublishingTests
{
    private static readonly DateTimeOffset CommittedAt = Now.AddSeconds(1);

    private static object? Publish<T>(T data) where T : notnull =>
        new CounselingIntegrationEvents().ToIntegrationEvent(new Event<T>(data) { TenantId = "clinic-north", Timestamp = CommittedAt });

    /// <summary>A fact known by its date happened at that day's start at the clinic (UTC here).</summary>
    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [Fact]
    public void The_session_note_never_leaves_the_service()
    {
        var attended = Attended with { Note = Sealing.Fake("Relapsed last weekend; partner does not know.") };
        var published = Assert.IsType<V1.CounselingSessionAttended>(Publish(attended));
        Assert.Equal(new V1.CounselingSessionAttended(PatientId, "clinic-north", EpisodeId, CommittedAt, SessionId, ScheduledFor, 50)
            { EffectiveAt = ScheduledFor }, published);
        Assert.DoesNotContain("Relapsed", JsonSerializer.Serialize(published));
    }

    [Fact]
    public void Published_events_carry_clinic_episode_and_commit_time()
    {
        Assert.Equal(new V1.CounselingSessionScheduled(PatientId, "clinic-north", EpisodeId, CommittedAt, SessionId, ScheduledFor, "counselor-7"),
            Publish(Scheduled));
        Assert.Equal(new V1.CounselingSessionMissed(PatientId, "clinic-north", EpisodeId, CommittedAt, SessionId, ScheduledFor)
            { EffectiveAt = ScheduledFor }, Publish(Missed));
        Assert.Equal(new V1.HelpGroupEnrolled(PatientId, "clinic-north", EpisodeId, CommittedAt, GroupId, GroupCreated.Name) { EffectiveAt = StartOf(Monday) },
            Publish(Enrolled(Monday)));
        Assert.Equal(new V1.HelpGroupMeetingAttended(PatientId, "clinic-north", null, CommittedAt, GroupId, Monday) { EffectiveAt = StartOf(Monday) },
            Publish(new HelpGroupMeetingAttended(GroupId, PatientId, null, Monday)));
        Assert.Equal(new V1.HelpGroupMeetingMissed(PatientId, "clinic-north", EpisodeId, CommittedAt, GroupId, Thursday) { EffectiveAt = StartOf(Thursday) },
            Publish(new HelpGroupMeetingMissed(GroupId, PatientId, EpisodeId, Thursday)));
    }

    [Fact]
    public void A_cancellation_is_published_without_its_reason()
    {
        var published = Publish(new CounselingSessionCancelled(SessionId, PatientId, Sealing.Fake("Counselor ill"), Now, ScheduledFor, EpisodeId));
        Assert.Equal(new V1.CounselingSessionCancelled(PatientId, "clinic-north", EpisodeId, CommittedAt, SessionId, ScheduledFor) { EffectiveAt = Now },
            published);
        Assert.DoesNotContain("ill", System.Text.Json.JsonSerializer.Serialize(published));
    }

    [Fact]
    public void Group_set_up_and_leaving_stay_private()
    {
        Assert.Null(Publish(GroupCreated));
        Assert.Null(Publish(Left(Thursday)));
    }
}
