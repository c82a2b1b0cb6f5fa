using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.Sessions;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class SessionAttendanceTests
{
    private static RecordAttendance Attend(DateTimeOffset at, int minutes = 50, string? note = null) => new(at, minutes, note);

    [Fact]
    public void Records_attendance_with_its_note_in_the_patients_current_episode() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor.AddMinutes(5), 45, "Discussed cravings."), NewEpisodeId, Protocol,
                Sealing.Fake))
            .Then(new CounselingSessionAttended(SessionId, PatientId, NewEpisodeId, ScheduledFor.AddMinutes(5), 45,
                Sealing.Fake("Discussed cravings.")));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(480, true)]
    [InlineData(481, false)]
    public void Duration_is_between_1_and_480_minutes(int minutes, bool valid)
    {
        var validated = new RecordAttendanceRequest(ScheduledFor, minutes, null).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
        if (valid) Assert.Equal(minutes, validated.Value!.DurationMinutes);
        else Assert.Equal(["durationMinutes"], validated.Error!.Errors!.Keys);
    }

    [Fact]
    public void Duration_is_required() =>
        Assert.Contains("durationMinutes", new RecordAttendanceRequest(ScheduledFor, null, null).Validate(Now).Error!.Errors!.Keys);

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4001, false)]
    public void A_note_holds_at_most_4000_characters(int length, bool valid)
    {
        var validated = new RecordAttendanceRequest(ScheduledFor, 50, new string('n', length)).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
        if (!valid) Assert.Equal(["note"], validated.Error!.Errors!.Keys);
    }

    [Fact]
    public void A_blank_note_is_no_note() =>
        Assert.Null(new RecordAttendanceRequest(ScheduledFor, 50, "   ").Validate(Now).Value!.Note);

    [Fact]
    public void Attendance_time_defaults_to_now() =>
        Assert.Equal(Now, new RecordAttendanceRequest(null, 50, null).Validate(Now).Value!.AttendedAt);

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Attendance_in_the_future_is_refused_beyond_clock_tolerance(int minutesAhead, bool valid)
    {
        var validated = new RecordAttendanceRequest(Now.AddMinutes(minutesAhead), 50, null).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
        if (!valid) Assert.Contains("attendedAt", validated.Error!.Errors!.Keys);
    }

    [Fact]
    public void Attendance_at_the_earliest_tolerated_time_is_accepted() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor.AddMinutes(-30)), EpisodeId, Protocol, Sealing.Fake))
            .Then(new CounselingSessionAttended(SessionId, PatientId, EpisodeId, ScheduledFor.AddMinutes(-30), 50, null));

    [Fact]
    public void Attendance_earlier_than_the_scheduled_time_less_the_tolerance_is_refused_naming_the_values()
    {
        var error = Session()
            .Given(Scheduled)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor.AddMinutes(-31)), EpisodeId, Protocol, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "attended-before-scheduled-time");
        Assert.Equal(ScheduledFor, error.Values!["scheduledFor"]);
        Assert.Equal(30, error.Values["earlyAttendanceToleranceMinutes"]);
    }

    [Fact]
    public void The_tolerance_is_the_clinics_own() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor.AddMinutes(-31)), EpisodeId,
                new CounselingProtocol { EarlyAttendanceToleranceMinutes = 60 }, Sealing.Fake))
            .Then(new CounselingSessionAttended(SessionId, PatientId, EpisodeId, ScheduledFor.AddMinutes(-31), 50, null));

    [Fact]
    public void An_attended_session_cannot_be_attended_again() =>
        Session()
            .Given(Scheduled, Attended)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor), EpisodeId, Protocol, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");

    [Fact]
    public void A_missed_session_cannot_be_attended() =>
        Session()
            .Given(Scheduled, Missed)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor), EpisodeId, Protocol, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");

    [Fact]
    public void A_cancelled_session_cannot_be_attended() =>
        Session()
            .Given(Scheduled, Cancelled)
            .When(s => SessionAttendance.Decide(s, Attend(ScheduledFor), EpisodeId, Protocol, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-cancelled");
}
