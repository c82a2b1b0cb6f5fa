using System.Text.Json;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Counseling.Corrections;
using Recovery.Counseling.Sessions;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

/// <summary>A session's outcome entered in error puts the session back to scheduled; an attendance's duration can be amended.</summary>
public class CorrectionTests
{
    private static readonly Correction EnteredInError = new(false, "recorded on the wrong session", default);

    private static Correction Amendment(object values) => new(true, "typed 15 for 50", JsonSerializer.SerializeToElement(values));

    // Stream positions: 1 scheduled, 2 the outcome (published under its own name).
    private static Decision Correct(object outcome, Correction correction, object[]? after = null) =>
        SessionCorrections.Decide(CounselingSessionEvolution.Fold([Scheduled, outcome, .. after ?? []]), new FactRef(Guid.NewGuid(), 2, outcome, Kebab.Of(outcome.GetType().Name)),
            correction, EpisodeId, Sealing.Fake);

    private static FactEnteredInError InError(object outcome) =>
        Assert.IsType<FactEnteredInError>(Assert.Single(Correct(outcome, EnteredInError).Events));

    private static RecordAttendance Attend => new(ScheduledFor.AddMinutes(5), 50, null);

    [Fact]
    public void A_no_show_entered_in_error_schedules_the_session_again_so_the_attendance_can_be_recorded()
    {
        Session().Given(Scheduled, Missed)
            .When(s => SessionAttendance.Decide(s, Attend, EpisodeId, Protocol, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");
        var corrected = InError(Missed);
        Assert.Equal(("counseling-session-missed", 2L, PatientId, EpisodeId), (corrected.Kind, corrected.FactVersion, corrected.PatientId, corrected.EpisodeId));
        Assert.Equal(SessionStatus.Scheduled, CounselingSessionEvolution.Fold([Scheduled, Missed, corrected]).Status);
        Session().Given(Scheduled, Missed, corrected)
            .When(s => SessionAttendance.Decide(s, Attend, EpisodeId, Protocol, Sealing.Fake))
            .Then(new CounselingSessionAttended(SessionId, PatientId, EpisodeId, ScheduledFor.AddMinutes(5), 50, null));
    }

    [Fact]
    public void An_attendance_entered_in_error_schedules_the_session_again_so_the_no_show_can_be_recorded()
    {
        var corrected = InError(Attended);
        var session = CounselingSessionEvolution.Fold([Scheduled, Attended, corrected]);
        Assert.Equal((SessionStatus.Scheduled, null, null), (session.Status, session.DurationMinutes, session.Note));
        Session().Given(Scheduled, Attended, corrected)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(Now), EpisodeId))
            .Then(new CounselingSessionMissed(SessionId, PatientId, EpisodeId, ScheduledFor, Now));
    }

    [Fact]
    public void A_cancellation_entered_in_error_schedules_the_session_again() =>
        Assert.Equal(SessionStatus.Scheduled, CounselingSessionEvolution.Fold([Scheduled, Cancelled, InError(Cancelled)]).Status);

    [Fact]
    public void The_scheduling_is_not_entered_in_error_and_only_an_attendance_is_amended()
    {
        var scheduling = SessionCorrections.Decide(CounselingSessionEvolution.Fold([Scheduled]), new FactRef(Guid.NewGuid(), 1, Scheduled, "counseling-session-scheduled"),
            EnteredInError, EpisodeId, Sealing.Fake);
        Assert.Equal((ErrorKind.RuleBroken, "fact-not-correctable"), (scheduling.Error!.Kind, scheduling.Error.Rule));
        Assert.Equal("fact-not-amendable", Correct(Missed, Amendment(new { durationMinutes = 50 })).Error?.Rule);
        Assert.Equal("fact-not-amendable", Correct(Cancelled, Amendment(new { durationMinutes = 50 })).Error?.Rule);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(480, true)]
    [InlineData(481, false)]
    public void An_attendance_is_amended_to_between_1_and_480_minutes(int minutes, bool valid)
    {
        var amended = Correct(Attended, Amendment(new { durationMinutes = minutes }));
        if (!valid)
        {
            Assert.Equal(ErrorKind.Invalid, amended.Error!.Kind);
            Assert.Equal(["durationMinutes"], amended.Error.Errors!.Keys);
            return;
        }
        var replacement = Assert.IsType<AttendanceAmended>(Assert.Single(amended.Events)).Replacement;
        // Only the duration changes: the time and the note stay as recorded.
        Assert.Equal((minutes, Attended.AttendedAt, Attended.Note), (replacement.DurationMinutes, replacement.AttendedAt, replacement.Note));
        Assert.Equal(minutes, CounselingSessionEvolution.Fold([Scheduled, Attended, .. amended.Events]).DurationMinutes);
    }

    [Fact]
    public void An_amendment_without_a_duration_is_refused_naming_it() =>
        Assert.Equal(["durationMinutes"], Correct(Attended, Amendment(new { minutes = 45 })).Error!.Errors!.Keys);

    [Fact]
    public void An_outcome_is_corrected_once()
    {
        var again = Correct(Missed, EnteredInError, after: [InError(Missed)]);
        Assert.Equal((ErrorKind.Conflict, "fact-already-corrected"), (again.Error!.Kind, again.Error.Rule));
        var amendedAgain = Correct(Attended, Amendment(new { durationMinutes = 40 }),
            after: [.. Correct(Attended, Amendment(new { durationMinutes = 45 })).Events]);
        Assert.Equal("fact-already-corrected", amendedAgain.Error?.Rule);
    }
}
