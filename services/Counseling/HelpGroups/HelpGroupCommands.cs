using Recovery.BuildingBlocks.Commands;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.HelpGroups;

/// <summary>
/// Every command on a help group, one line each. A group's writes are exclusive: a meeting's attendance is entered for
/// many members at once, and those writes should queue, not fail. Each is decided on the group with the one member it is
/// about (read beside the group, <see cref="HelpGroupMember"/>), and answers with the group as it concerns that member.
/// </summary>
public static class HelpGroupCommands
{
    /// <summary>What a command on a group reads besides the group: the patient as this clinic knows them, and their membership.</summary>
    public sealed record MemberNeeds(ClinicPatient? Patient, GroupMember? Member)
    {
        public static readonly MemberNeeds None = new(null, null);
    }

    public static void MapHelpGroupCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<HelpGroup, MemberNeeds>(api, "groupId", HelpGroupView.NotFound, _ => Guid.Empty, HelpGroupEvolution.Evolve,
                NeedsOf, (g, _, _, _) => HelpGroupView.Of(g), g => $"/help-groups/{g.Id}", decidedOn: (g, needs) => g.WithMember(needs.Member))
            .Start("/help-groups", "Set up a help group at the clinic",
                (CreateHelpGroupRequest r, CommandContext c) => r.Validate(c.Now), (cmd, _) => cmd.GroupId, (_, _) => Task.FromResult(NoNeeds.None),
                (_, cmd, _) => HelpGroupCreation.Decide(cmd))
            .On("/help-groups/{groupId}/enrolments", "Enrol a patient in the group",
                (EnrolInGroupRequest r, CommandContext c) => r.Validate(c.Now), (g, cmd, needs, _) => GroupEnrolment.Decide(g, needs.Patient, cmd),
                Writing.Exclusive)
            .On("/help-groups/{groupId}/meetings/{meetingOn}/attendance", "Record that a member attended the meeting of that day (yyyy-MM-dd)",
                (RecordMeetingRequest r, CommandContext c) => r.Validate(c.Route("meetingOn"), MeetingPresence.Attended, c.Now),
                (g, cmd, needs, _) => MeetingAttendance.Decide(g, cmd, needs.Patient?.CurrentEpisodeId), Writing.Exclusive)
            .On("/help-groups/{groupId}/meetings/{meetingOn}/absence", "Record that a member missed the meeting of that day (yyyy-MM-dd)",
                (RecordMeetingRequest r, CommandContext c) => r.Validate(c.Route("meetingOn"), MeetingPresence.Missed, c.Now),
                (g, cmd, needs, _) => MeetingAttendance.Decide(g, cmd, needs.Patient?.CurrentEpisodeId), Writing.Exclusive)
            .On("/help-groups/{groupId}/withdrawals", "Record that a patient left the group",
                (LeaveGroupRequest r, CommandContext c) => r.Validate(c.Now), (g, cmd, _, _) => GroupLeaving.Decide(g, cmd), Writing.Exclusive);

    /// <summary>
    /// The patient a command names, as this clinic knows them (registered, current episode; for enrolling and meetings), and
    /// their membership of the group.
    /// </summary>
    private static async Task<MemberNeeds> NeedsOf(HelpGroup? group, object command, CommandContext c)
    {
        var (patientId, asRegistered) = command switch
        {
            EnrolInGroup e => (e.PatientId, true),
            RecordMeeting m => (m.PatientId, true),
            LeaveGroup l => (l.PatientId, false),
            _ => (Guid.Empty, false),
        };
        if (group is null || patientId == Guid.Empty) return MemberNeeds.None;
        var patient = asRegistered ? await KnownPatients.Find(c.Session, patientId, c.Cancellation) : null;
        var member = await c.Session.LoadAsync<HelpGroupMember>(HelpGroupMember.IdOf(group.Id, patientId), c.Cancellation);
        return new(patient, member?.ToMember());
    }
}
