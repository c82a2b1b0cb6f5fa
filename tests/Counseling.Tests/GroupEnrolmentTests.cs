using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.HelpGroups;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class GroupEnrolmentTests
{
    private static readonly EnrolInGroup Enrol = new(PatientId, Monday);

    [Fact]
    public void Enrols_a_registered_patient_in_their_current_episode() =>
        Group()
            .Given(GroupCreated)
            .When(g => GroupEnrolment.Decide(g, Registered, Enrol))
            .Then(new HelpGroupEnrolled(GroupId, GroupCreated.Name, PatientId, EpisodeId, Monday));

    [Fact]
    public void A_patient_not_registered_at_this_clinic_is_not_found() =>
        Group()
            .Given(GroupCreated)
            .When(g => GroupEnrolment.Decide(g, null, Enrol))
            .ThenRejected(ErrorKind.NotFound, "patient-not-registered");

    [Fact]
    public void Enrolling_an_enrolled_patient_again_is_a_conflict()
    {
        var error = Group()
            .Given(GroupCreated, Enrolled(Monday))
            .When(g => GroupEnrolment.Decide(g, Registered, Enrol with { EnrolledOn = Thursday }))
            .ThenRejected(ErrorKind.Conflict, "already-enrolled");
        Assert.Equal(Monday, error.Values!["enrolledOn"]);
    }

    [Fact]
    public void A_patient_who_left_may_enrol_again_from_the_next_day() =>
        Group()
            .Given(GroupCreated, Enrolled(Monday), Left(Tuesday))
            .When(g => GroupEnrolment.Decide(g, Registered, Enrol with { EnrolledOn = Tuesday.AddDays(1) }))
            .Then(new HelpGroupEnrolled(GroupId, GroupCreated.Name, PatientId, EpisodeId, Tuesday.AddDays(1)));

    [Fact]
    public void A_new_enrolment_may_not_overlap_the_last_one() =>
        Group()
            .Given(GroupCreated, Enrolled(Monday), Left(Tuesday))
            .When(g => GroupEnrolment.Decide(g, Registered, Enrol with { EnrolledOn = Tuesday }))
            .ThenRejected(ErrorKind.RuleBroken, "enrolment-overlaps");

    [Fact]
    public void The_enrolment_date_defaults_to_today_and_cannot_be_in_the_future()
    {
        Assert.Equal(DateOnly.FromDateTime(Now.UtcDateTime), new EnrolInGroupRequest(PatientId, null).Validate(Now).Value!.EnrolledOn);
        Assert.Contains("enrolledOn", new EnrolInGroupRequest(PatientId, new DateOnly(2026, 11, 4)).Validate(Now).Error!.Errors!.Keys);
        Assert.Contains("patientId", new EnrolInGroupRequest(null, null).Validate(Now).Error!.Errors!.Keys);
    }
}
