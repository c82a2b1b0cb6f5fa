using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Counseling.HelpGroups;

/// <summary>A member as the API shows them: whether they are enrolled now, their periods and recorded meetings.</summary>
public sealed record MemberView(Guid PatientId, bool Enrolled, IReadOnlyList<Enrolment> Enrolments, IReadOnlyList<MeetingRecord> Meetings)
{
    public static MemberView Of(GroupMember m) =>
        new(m.PatientId, m.Current is not null, m.Enrolments, m.Meetings.OrderBy(r => r.MeetingOn).ToList());
}

/// <summary>A help group as the API shows it, with its members.</summary>
public sealed record HelpGroupView(
    Guid GroupId,
    string Name,
    IReadOnlyList<DayOfWeek> MeetingDays,
    TimeOnly MeetingTime,
    string FacilitatorId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<MemberView> Members)
{
    public static HelpGroupView Of(HelpGroup g) =>
        new(g.Id, g.Name, g.MeetingDays, g.MeetingTime, g.FacilitatorId, g.CreatedAt, g.Members.Select(MemberView.Of).ToList());

    internal static async Task<IResult> Get(Guid groupId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<HelpGroup>(groupId, ct) is not { } group) return Problems.From(NotFound(groupId));
        var members = await session.Query<HelpGroupMember>().Where(m => m.GroupId == groupId).ToListAsync(ct);
        return Results.Ok(Of(group.WithMembers(HelpGroupMember.Roster(members.Select(m => m.ToMember())))));
    }

    internal static DomainError NotFound(Guid groupId) => DomainError.NotFound("help-group-not-found", $"No help group {groupId} at this clinic.");
}

/// <summary>A group in the clinic's list.</summary>
public sealed record HelpGroupSummary(
    Guid GroupId,
    string Name,
    IReadOnlyList<DayOfWeek> MeetingDays,
    TimeOnly MeetingTime,
    string FacilitatorId,
    int EnrolledCount)
{
    internal static async Task<IResult> List(IQuerySession session, CancellationToken ct)
    {
        var groups = await session.Query<HelpGroup>().OrderBy(g => g.Name).ToListAsync(ct);
        return Results.Ok(groups.Select(g => new HelpGroupSummary(g.Id, g.Name, g.MeetingDays, g.MeetingTime, g.FacilitatorId,
            g.EnrolledCount)).ToList());
    }
}

/// <summary>A patient's membership of one group, for the patient's counseling overview.</summary>
public sealed record GroupMembership(
    Guid GroupId,
    string Name,
    IReadOnlyList<DayOfWeek> MeetingDays,
    TimeOnly MeetingTime,
    bool Enrolled,
    IReadOnlyList<Enrolment> Enrolments,
    IReadOnlyList<MeetingRecord> Meetings)
{
    public static GroupMembership Of(HelpGroup g, GroupMember m) =>
        new(g.Id, g.Name, g.MeetingDays, g.MeetingTime, m.Current is not null, m.Enrolments, m.Meetings.OrderBy(r => r.MeetingOn).ToList());
}
