using Recovery.BuildingBlocks.Time;
using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.HelpGroups;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class MeetingAttendanceTests
{
    private static RecordMeeting Attend(DateOnly on) => new(PatientId, on, MeetingPresence.Attended);

    private static RecordMeeting Miss(DateOnly on) => new(PatientId, on, MeetingPresence.Missed);

    [Theory]
    [InlineData("2026-10-26")] // Monday
    [InlineData("2026-10-29")] // Thursday
    public void Records_attendance_of_a_meeting_on_one_of_the_groups_days(string day) =>
        Group()
            .Given(GroupCreated, EnrolledLongAgo)
            .When(g => MeetingAttendance.Decide(g, Attend(DateOnly.Parse(day)), NewEpisodeId))
            .Then(new HelpGroupMeetingAttended(GroupId, PatientId, NewEpisodeId, DateOnly.Parse(day)));

    [Fact]
    public void Records_a_missed_meeting() =>
        Group()
            .Given(GroupCreated, EnrolledLongAgo)
            .When(g => MeetingAttendance.Decide(g, Miss(Thursday), EpisodeId))
            .Then(new HelpGroupMeetingMissed(GroupId, PatientId, EpisodeId, Thursday));

    [Theory]
    [InlineData(MeetingPresence.Attended)]
    [InlineData(MeetingPresence.Missed)]
    public void A_day_the_group_does_not_meet_is_refused_naming_the_weekday(MeetingPresence presence)
    {
        var error = Group()
            .Given(GroupCreated, EnrolledLongAgo)
            .When(g => MeetingAttendance.Decide(g, new RecordMeeting(PatientId, Tuesday, presence), EpisodeId))
            .ThenRejected(ErrorKind.RuleBroken, "not-a-meeting-day");
        Assert.Equal("tuesday", error.Values!["weekday"]);
        Assert.Equal(new[] { "monday", "thursday" }, error.Values["meetingDays"]);
    }

    [Theory]
    [InlineData(MeetingPresence.Attended)]
    [InlineData(MeetingPresence.Missed)]
    public void A_patient_never_enrolled_is_refused(MeetingPresence presence) =>
        Group()
            .Given(GroupCreated)
            .When(g => MeetingAttendance.Decide(g, new RecordMeeting(PatientId, Monday, presence), EpisodeId))
            .ThenRejected(ErrorKind.RuleBroken, "not-enrolled");

    [Fact]
    public void A_meeting_on_the_day_of_enrolment_counts_and_one_before_does_not()
    {
        Group().Given(GroupCreated, Enrolled(Thursday)).When(g => MeetingAttendance.Decide(g, Attend(Thursday), EpisodeId))
            .Then(new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Thursday));
        Group().Given(GroupCreated, Enrolled(Thursday)).When(g => MeetingAttendance.Decide(g, Attend(Monday), EpisodeId))
            .ThenRejected(ErrorKind.RuleBroken, "not-enrolled");
    }

    [Fact]
    public void A_meeting_on_the_day_of_leaving_counts_and_one_after_does_not()
    {
        Group().Given(GroupCreated, Enrolled(Monday), Left(Thursday)).When(g => MeetingAttendance.Decide(g, Miss(Thursday), EpisodeId))
            .Then(new HelpGroupMeetingMissed(GroupId, PatientId, EpisodeId, Thursday));
        Group().Given(GroupCreated, Enrolled(Monday), Left(Tuesday)).When(g => MeetingAttendance.Decide(g, Miss(Thursday), EpisodeId))
            .ThenRejected(ErrorKind.RuleBroken, "not-enrolled");
    }

    [Fact]
    public void A_meeting_while_enrolled_may_be_entered_after_the_patient_left() =>
        Group()
            .Given(GroupCreated, EnrolledLongAgo, Left(Thursday))
            .When(g => MeetingAttendance.Decide(g, Attend(Monday), EpisodeId))
            .Then(new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Monday));

    [Theory]
    [InlineData(MeetingPresence.Attended, MeetingPresence.Attended)]
    [InlineData(MeetingPresence.Attended, MeetingPresence.Missed)]
    [InlineData(MeetingPresence.Missed, MeetingPresence.Attended)]
    [InlineData(MeetingPresence.Missed, MeetingPresence.Missed)]
    public void The_same_meeting_is_recorded_once_for_a_patient(MeetingPresence first, MeetingPresence second)
    {
        object recorded = first == MeetingPresence.Attended
            ? new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Monday)
            : new HelpGroupMeetingMissed(GroupId, PatientId, EpisodeId, Monday);
        Group()
            .Given(GroupCreated, EnrolledLongAgo, recorded)
            .When(g => MeetingAttendance.Decide(g, new RecordMeeting(PatientId, Monday, second), EpisodeId))
            .ThenRejected(ErrorKind.Conflict, "meeting-already-recorded");
    }

    [Fact]
    public void Another_member_at_the_same_meeting_is_recorded_separately()
    {
        var other = Guid.Parse("0190c000-0000-7000-8000-0000000000bb");
        Group()
            .Given(GroupCreated, EnrolledLongAgo, Enrolled(Monday) with { PatientId = other },
                new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Monday))
            .When(g => MeetingAttendance.Decide(g, new RecordMeeting(other, Monday, MeetingPresence.Attended), null))
            .Then(new HelpGroupMeetingAttended(GroupId, other, null, Monday));
    }

    [Theory]
    [InlineData("2026-11-02", 9, "UTC", null)]
    [InlineData("2026-11-03", 9, "UTC", "meetingOn")]
    [InlineData("2026-11-03", 10, "Pacific/Kiritimati", null)] // 10:00 UTC: already 3 November at a clinic on UTC+14
    [InlineData("2026-11-04", 10, "Pacific/Kiritimati", "meetingOn")]
    [InlineData("2026-11-01", 3, "America/Los_Angeles", null)] // 03:00 UTC: still the evening of 1 November in California
    [InlineData("2026-11-02", 3, "America/Los_Angeles", "meetingOn")]
    [InlineData("02/11/2026", 9, "UTC", "meetingOn")]
    [InlineData("2026-02-30", 9, "UTC", "meetingOn")]
    public void The_meeting_date_is_a_past_or_present_date_at_the_clinic(string meetingOn, int utcHour, string timeZone, string? badField)
    {
        var now = ClinicNow.In(new DateTimeOffset(2026, 11, 2, utcHour, 0, 0, TimeSpan.Zero), timeZone);
        var error = new RecordMeetingRequest(PatientId).Validate(meetingOn, MeetingPresence.Attended, now).Error;
        if (badField is null) Assert.Null(error);
        else Assert.Contains(badField, error!.Errors!.Keys);
    }
}
