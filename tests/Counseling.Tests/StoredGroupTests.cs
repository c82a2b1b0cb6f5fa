using System.Text.Json;
using Recovery.Counseling.HelpGroups;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

/// <summary>
/// A group is stored in halves: the group's own document (no members) and a document per member. Put back together, the
/// halves are the group the whole fold gives, so a decision on the group with its one member sees what it saw on the roster.
/// </summary>
public class StoredGroupTests
{
    private static readonly Guid Other = Guid.Parse("0190c000-0000-7000-8000-0000000000c1");
    private static readonly Guid Third = Guid.Parse("0190c000-0000-7000-8000-0000000000c2");

    private static readonly object[] Events =
    [
        GroupCreated,
        Enrolled(Monday.AddDays(-7)),
        new HelpGroupEnrolled(GroupId, GroupCreated.Name, Other, null, Monday.AddDays(-7)),
        new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Monday.AddDays(-7)),
        new HelpGroupMeetingMissed(GroupId, Other, null, Monday.AddDays(-7)),
        new HelpGroupEnrolled(GroupId, GroupCreated.Name, Third, null, Monday),
        Left(Monday),
        new HelpGroupMeetingAttended(GroupId, Third, null, Thursday),
        Enrolled(Thursday),
        new HelpGroupMeetingAttended(GroupId, PatientId, EpisodeId, Thursday),
        new HelpGroupLeft(GroupId, Other, Thursday),
    ];

    [Fact]
    public void The_stored_group_and_its_stored_members_are_the_group_the_whole_fold_gives()
    {
        var whole = HelpGroupEvolution.Fold(Events);

        var stored = Events.Aggregate((HelpGroup?)null, HelpGroupEvolution.Group)!;
        var members = Events.Where(e => HelpGroupEvolution.MemberOf(e) is not null)
            .GroupBy(e => HelpGroupEvolution.MemberOf(e)!.Value.PatientId)
            .Select(g => g.Aggregate(new GroupMember(g.Key, [], []), HelpGroupEvolution.Member))
            .ToList();

        Assert.Empty(stored.Members);
        Assert.Equal(2, stored.EnrolledCount); // the patient came back; Other left; Third stays
        Assert.Equal(2, whole.Members.Count(m => m.Current is not null));
        Assert.Equal(Json(whole), Json(stored.WithMembers(members)));
    }

    [Fact]
    public void A_member_document_has_one_id_for_a_group_and_patient_and_another_for_any_other_pair()
    {
        Assert.Equal(HelpGroupMember.IdOf(GroupId, PatientId), HelpGroupMember.IdOf(GroupId, PatientId));
        Assert.NotEqual(HelpGroupMember.IdOf(GroupId, PatientId), HelpGroupMember.IdOf(GroupId, Other));
        Assert.NotEqual(HelpGroupMember.IdOf(GroupId, PatientId), HelpGroupMember.IdOf(Other, PatientId));
        Assert.NotEqual(HelpGroupMember.IdOf(GroupId, PatientId), HelpGroupMember.IdOf(PatientId, GroupId));
    }

    /// <summary>A group as JSON, its members in the roster's order.</summary>
    private static string Json(HelpGroup group) => JsonSerializer.Serialize(group.WithMembers(HelpGroupMember.Roster(group.Members)));
}
