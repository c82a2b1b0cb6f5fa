using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.Sessions;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class SessionNoShowAndCancellationTests
{
    [Fact]
    public void Records_a_no_show_with_the_scheduled_time() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(Now), NewEpisodeId))
            .Then(new CounselingSessionMissed(SessionId, PatientId, NewEpisodeId, ScheduledFor, Now));

    [Fact]
    public void A_no_show_can_be_recorded_from_the_scheduled_time_on() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(ScheduledFor), EpisodeId))
            .Then(new CounselingSessionMissed(SessionId, PatientId, EpisodeId, ScheduledFor, ScheduledFor));

    [Fact]
    public void A_session_not_yet_due_cannot_be_missed() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(ScheduledFor.AddTicks(-1)), EpisodeId))
            .ThenRejected(ErrorKind.RuleBroken, "session-not-yet-due");

    [Fact]
    public void A_missed_session_cannot_be_missed_again() =>
        Session()
            .Given(Scheduled, Missed)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(Now), EpisodeId))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");

    [Fact]
    public void An_attended_session_cannot_be_missed() =>
        Session()
            .Given(Scheduled, Attended)
            .When(s => SessionNoShow.Decide(s, new RecordNoShow(Now), EpisodeId))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");

    [Fact]
    public void Cancels_an_open_session() =>
        Session()
            .Given(Scheduled)
            .When(s => SessionCancellation.Decide(s, new CancelSession("Counselor ill", Now), EpisodeId, Sealing.Fake))
            .Then(new CounselingSessionCancelled(SessionId, PatientId, Sealing.Fake("Counselor ill"), Now, ScheduledFor, EpisodeId));

    [Fact]
    public void A_closed_session_cannot_be_cancelled() =>
        Session()
            .Given(Scheduled, Attended)
            .When(s => SessionCancellation.Decide(s, new CancelSession(null, Now), EpisodeId, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-already-closed");

    [Fact]
    public void A_cancelled_session_cannot_be_cancelled_or_missed_again()
    {
        Session().Given(Scheduled, Cancelled).When(s => SessionCancellation.Decide(s, new CancelSession(null, Now), EpisodeId, Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "session-cancelled");
        Session().Given(Scheduled, Cancelled).When(s => SessionNoShow.Decide(s, new RecordNoShow(Now), EpisodeId))
            .ThenRejected(ErrorKind.Conflict, "session-cancelled");
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public void A_cancellation_reason_holds_at_most_500_characters(int length, bool valid)
    {
        var validated = new CancelSessionRequest(new string('r', length)).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
        if (!valid) Assert.Contains("reason", validated.Error!.Errors!.Keys);
    }
}
