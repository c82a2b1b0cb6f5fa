using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.HelpGroups;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class GroupLeavingTests
{
    [Fact]
    public void An_enrolled_patient_leaves() =>
        Group()
            .Given(GroupCreated, Enrolled(Monday))
            .When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Thursday)))
            .Then(new HelpGroupLeft(GroupId, PatientId, Thursday));

    [Fact]
    public void A_patient_may_leave_on_the_day_of_enrolment_but_not_before()
    {
        Group().Given(GroupCreated, Enrolled(Monday)).When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Monday)))
            .Then(new HelpGroupLeft(GroupId, PatientId, Monday));
        Group().Given(GroupCreated, Enrolled(Monday)).When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Monday.AddDays(-1))))
            .ThenRejected(ErrorKind.RuleBroken, "left-before-enrolled");
    }

    [Fact]
    public void A_patient_not_enrolled_cannot_leave()
    {
        Group().Given(GroupCreated).When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Thursday)))
            .ThenRejected(ErrorKind.RuleBroken, "not-enrolled");
        Group().Given(GroupCreated, Enrolled(Monday), Left(Tuesday)).When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Thursday)))
            .ThenRejected(ErrorKind.RuleBroken, "not-enrolled");
    }

    [Fact]
    public void Leaving_before_a_recorded_meeting_is_refused()
    {
        var error = Group()
            .Given(GroupCreated, Enrolled(Monday), new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Thursday))
            .When(g => GroupLeaving.Decide(g, new LeaveGroup(PatientId, Tuesday)))
            .ThenRejected(ErrorKind.RuleBroken, "meetings-after-leaving");
        Assert.Equal(new[] { Thursday }, error.Values!["meetingsAfter"]);
    }
}
