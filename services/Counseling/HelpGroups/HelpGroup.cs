using JasperFx.Events;
using Marten.Events.Aggregation;

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
/// </summary>
public sealed record HelpGroup
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<DayOfWeek> MeetingDays { get; init; } = [];
    public TimeOnly MeetingTime { get; init; }
    public string FacilitatorId { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<GroupMember> Members { get; init; } = [];

    public GroupMember? MemberOf(Guid patientId) => Members.FirstOrDefault(m => m.PatientId == patientId);
}

/// <summary>Folds a group's events into its state: a pure function, so decisions are tested without a database.</summary>
public static class HelpGroupEvolution
{
    public static HelpGroup Evolve(HelpGroup? state, object @event) => @event switch
    {
        HelpGroupCreated e => new HelpGroup
        {
            Id = e.GroupId, Name = e.Name, MeetingDays = e.MeetingDays, MeetingTime = e.MeetingTime, FacilitatorId = e.FacilitatorId,
            CreatedAt = e.CreatedAt,
        },
        HelpGroupEnrolled e => Change(Existing(state), e.PatientId, m => m with { Enrolments = [.. m.Enrolments, new Enrolment(e.EnrolledOn, null)] }),
        HelpGroupLeft e => Change(Existing(state), e.PatientId, m => m with
        {
            Enrolments = [.. m.Enrolments.SkipLast(1), m.Enrolments[^1] with { LeftOn = e.LeftOn }],
        }),
        HelpGroupMeetingAttended e => Change(Existing(state), e.PatientId, m => m with
        {
            Meetings = [.. m.Meetings, new MeetingRecord(e.MeetingOn, MeetingPresence.Attended)],
        }),
        HelpGroupMeetingMissed e => Change(Existing(state), e.PatientId, m => m with
        {
            Meetings = [.. m.Meetings, new MeetingRecord(e.MeetingOn, MeetingPresence.Missed)],
        }),
        _ => Existing(state),
    };

    public static HelpGroup Fold(IEnumerable<object> events) =>
        events.Aggregate((HelpGroup?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static HelpGroup Change(HelpGroup group, Guid patientId, Func<GroupMember, GroupMember> change)
    {
        var member = group.MemberOf(patientId);
        var changed = change(member ?? new GroupMember(patientId, [], []));
        return group with
        {
            Members = member is null ? [.. group.Members, changed] : group.Members.Select(m => ReferenceEquals(m, member) ? changed : m).ToList(),
        };
    }

    private static HelpGroup Existing(HelpGroup? state) =>
        state ?? throw new InvalidOperationException("A help-group event arrived before HelpGroupCreated.");
}

/// <summary>Keeps each group's current state as a document, in the same transaction as its events.</summary>
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

    public override HelpGroup Evolve(HelpGroup? snapshot, Guid id, IEvent e) => HelpGroupEvolution.Evolve(snapshot, e.Data);
}
