using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace Recovery.Counseling.HelpGroups;

public enum MeetingPresence
{
    Attended,
    Missed,
}

/// <summary>One period of membership: from the day of enrolment to the day of leaving, both included.</summary>
public sealed record Enrolment(DateOnly EnrolledOn, DateOnly? LeftOn)
{
    public bool Covers(DateOnly day) => EnrolledOn <= day && (LeftOn is null || day <= LeftOn);
}

public sealed record MeetingRecord(DateOnly MeetingOn, MeetingPresence Presence);

/// <summary>A patient's membership of a group: enrolment periods (a patient may leave and come back) and meetings recorded.</summary>
public sealed record GroupMember(Guid PatientId, IReadOnlyList<Enrolment> Enrolments, IReadOnlyList<MeetingRecord> Meetings)
{
    public Enrolment? Current => Enrolments.Count > 0 && Enrolments[^1].LeftOn is null ? Enrolments[^1] : null;

    public bool WasEnrolledOn(DateOnly day) => Enrolments.Any(e => e.Covers(day));
}

/// <summary>
/// A help group of a clinic, meeting weekly on set days at a set time, with its members and their
/// attendance. A clinic-level record: no one patient owns it. Folded by <see cref="HelpGroupEvolution.Evolve"/>.
/// As stored, the group leaves its members out (<see cref="HelpGroupProjection"/>): each member is a document of its own
/// (<see cref="HelpGroupMember"/>), so a command reads and writes the one member it is about, not the whole roster. A
/// command is decided on the group with that member (<see cref="WithMember"/>); the roster is read by the group's view.
/// </summary>
public sealed record HelpGroup
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<DayOfWeek> MeetingDays { get; init; } = [];
    public TimeOnly MeetingTime { get; init; }
    public string FacilitatorId { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>How many members are enrolled now, kept by the group's own fold so the clinic's list reads no roster.</summary>
    public int EnrolledCount { get; init; }
    public IReadOnlyList<GroupMember> Members { get; init; } = [];

    public GroupMember? MemberOf(Guid patientId) => Members.FirstOrDefault(m => m.PatientId == patientId);

    /// <summary>The group with the members given (a stored group holds none).</summary>
    public HelpGroup WithMembers(IReadOnlyList<GroupMember> members) => this with { Members = members };

    public HelpGroup WithMember(GroupMember? member) => WithMembers(member is null ? [] : [member]);
}

/// <summary>
/// Folds a group's events into its state: a pure function, so decisions are tested without a database. The fold has two
/// halves, the group's own (<see cref="Group"/>: its details and enrolled count) and one member's (<see cref="Member"/>),
/// which the stored group and the stored members each use alone.
/// </summary>
public static class HelpGroupEvolution
{
    public static HelpGroup Evolve(HelpGroup? state, object @event)
    {
        var group = Group(state, @event);
        if (MemberOf(@event) is not { } about) return group;
        var member = group.MemberOf(about.PatientId);
        var changed = Member(member ?? new GroupMember(about.PatientId, [], []), @event);
        return group.WithMembers(member is null
            ? [.. group.Members, changed]
            : group.Members.Select(m => ReferenceEquals(m, member) ? changed : m).ToList());
    }

    /// <summary>The group's own half: its details, and how many are enrolled now.</summary>
    public static HelpGroup Group(HelpGroup? state, object @event) => @event switch
    {
        HelpGroupCreated e => new HelpGroup
        {
            Id = e.GroupId, Name = e.Name, MeetingDays = e.MeetingDays, MeetingTime = e.MeetingTime, FacilitatorId = e.FacilitatorId,
            CreatedAt = e.CreatedAt,
        },
        HelpGroupEnrolled => Existing(state) with { EnrolledCount = Existing(state).EnrolledCount + 1 },
        HelpGroupLeft => Existing(state) with { EnrolledCount = Existing(state).EnrolledCount - 1 },
        _ => Existing(state),
    };

    /// <summary>One member's half: their enrolment periods and recorded meetings.</summary>
    public static GroupMember Member(GroupMember member, object @event) => @event switch
    {
        HelpGroupEnrolled e => member with { Enrolments = [.. member.Enrolments, new Enrolment(e.EnrolledOn, null)] },
        HelpGroupLeft e => member with
        {
            Enrolments = [.. member.Enrolments.SkipLast(1), member.Enrolments[^1] with { LeftOn = e.LeftOn }],
        },
        HelpGroupMeetingAttended e => member with { Meetings = [.. member.Meetings, new MeetingRecord(e.MeetingOn, MeetingPresence.Attended)] },
        HelpGroupMeetingMissed e => member with { Meetings = [.. member.Meetings, new MeetingRecord(e.MeetingOn, MeetingPresence.Missed)] },
        _ => member,
    };

    /// <summary>The group and patient of the member a group event is about; null for the group's own events.</summary>
    public static (Guid GroupId, Guid PatientId)? MemberOf(object @event) => @event switch
    {
        HelpGroupEnrolled e => (e.GroupId, e.PatientId),
        HelpGroupLeft e => (e.GroupId, e.PatientId),
        HelpGroupMeetingAttended e => (e.GroupId, e.PatientId),
        HelpGroupMeetingMissed e => (e.GroupId, e.PatientId),
        _ => null,
    };

    public static HelpGroup Fold(IEnumerable<object> events) =>
        events.Aggregate((HelpGroup?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static HelpGroup Existing(HelpGroup? state) =>
        state ?? throw new InvalidOperationException("A help-group event arrived before HelpGroupCreated.");
}

/// <summary>Keeps each group's own state (no members) as a document, in the same transaction as its events.</summary>
public sealed class HelpGroupProjection : SingleStreamProjection<HelpGroup, Guid>
{
    public HelpGroupProjection()
    {
        IncludeType<HelpGroupCreated>();
        IncludeType<HelpGroupEnrolled>();
        IncludeType<HelpGroupLeft>();
        IncludeType<HelpGroupMeetingAttended>();
        IncludeType<HelpGroupMeetingMissed>();
    }

    public override HelpGroup Evolve(HelpGroup? snapshot, Guid id, IEvent e) => HelpGroupEvolution.Group(snapshot, e.Data);
}

/// <summary>
/// One member of one group as stored: a document per group and patient, so recording a meeting changes one member.
/// <see cref="JoinedOn"/> is the day of their first enrolment, which orders the roster (then the patient's id).
/// </summary>
public sealed record HelpGroupMember(Guid Id, Guid GroupId, Guid PatientId, DateOnly JoinedOn, IReadOnlyList<Enrolment> Enrolments,
    IReadOnlyList<MeetingRecord> Meetings)
{
    public GroupMember ToMember() => new(PatientId, Enrolments, Meetings);

    public static HelpGroupMember Of(Guid groupId, GroupMember member) =>
        new(IdOf(groupId, member.PatientId), groupId, member.PatientId, member.Enrolments[0].EnrolledOn, member.Enrolments, member.Meetings);

    /// <summary>A roster in its order: by the day each member first enrolled, then by patient.</summary>
    public static IReadOnlyList<GroupMember> Roster(IEnumerable<GroupMember> members) =>
        members.OrderBy(m => m.Enrolments[0].EnrolledOn).ThenBy(m => m.PatientId).ToList();

    /// <summary>The member document's id: the same for a group and patient wherever it is worked out (a name-based UUID).</summary>
    public static Guid IdOf(Guid groupId, Guid patientId)
    {
        Span<byte> both = stackalloc byte[32];
        groupId.TryWriteBytes(both[..16]);
        patientId.TryWriteBytes(both[16..]);
        Span<byte> hash = stackalloc byte[16];
        System.Security.Cryptography.MD5.HashData(both, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30); // version 3: name-based (MD5)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash);
    }
}

/// <summary>Keeps each member of each group as a document, in the same transaction as the group's events.</summary>
public sealed class HelpGroupMemberProjection : MultiStreamProjection<HelpGroupMember, Guid>
{
    public HelpGroupMemberProjection()
    {
        Identity<HelpGroupEnrolled>(e => HelpGroupMember.IdOf(e.GroupId, e.PatientId));
        Identity<HelpGroupLeft>(e => HelpGroupMember.IdOf(e.GroupId, e.PatientId));
        Identity<HelpGroupMeetingAttended>(e => HelpGroupMember.IdOf(e.GroupId, e.PatientId));
        Identity<HelpGroupMeetingMissed>(e => HelpGroupMember.IdOf(e.GroupId, e.PatientId));
    }

    public override HelpGroupMember Evolve(HelpGroupMember? snapshot, Guid id, IEvent e)
    {
        var (groupId, patientId) = HelpGroupEvolution.MemberOf(e.Data)
            ?? throw new InvalidOperationException($"{e.Data.GetType().Name} is not a member's event.");
        return HelpGroupMember.Of(groupId, HelpGroupEvolution.Member(snapshot?.ToMember() ?? new GroupMember(patientId, [], []), e.Data));
    }
}

/// <summary>How the store keeps help groups: the group's own document and a document per member, both with the events.</summary>
public static class HelpGroupStorage
{
    public static void Configure(StoreOptions store)
    {
        store.Projections.Add<HelpGroupProjection>(ProjectionLifecycle.Inline);
        store.Projections.Add<HelpGroupMemberProjection>(ProjectionLifecycle.Inline);
        // The roster of a group, and the groups of a patient.
        store.Schema.For<HelpGroupMember>().Index(m => m.GroupId).Index(m => m.PatientId);
    }
}
