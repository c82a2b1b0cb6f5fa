using Recovery.BuildingBlocks.Commands;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.HelpGroups;

/// <summary>
/// Every command on a help group, one line each. A group's writes are exclusive: a meeting's attendance is entered for
/// many members at once, and those writes should queue, not fail.
/// </summary>
public static class HelpGroupCommands
{
    public static void MapHelpGroupCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<HelpGroup, ClinicPatient?>(api, "groupId", HelpGroupView.NotFound, _ => Guid.Empty, HelpGroupEvolution.Evolve,
                PatientOfCommand, (g, _, _, _) => HelpGroupView.Of(g), g => $"/help-groups/{g.Id}")
            .Start("/help-groups", "Set up a help group at the clinic",
                (CreateHelpGroupRequest r, CommandContext c) => r.Validate(c.Now), (cmd, _) => cmd.GroupId, (_, _) => Task.FromResult(NoNeeds.None),
                (_, cmd, _) => HelpGroupCreation.Decide(cmd))
            .On("/help-groups/{groupId}/enrolments", "Enrol a patient in the group",
                (EnrolInGroupRequest r, CommandContext c) => r.Validate(c.Now), (g, cmd, patient, _) => GroupEnrolment.Decide(g, patient, cmd),
                Writing.Exclusive)
            .On("/help-groups/{groupId}/meetings/{meetingOn}/attendance", "Record that a member attended the meeting of that day (yyyy-MM-dd)",
                (RecordMeetingRequest r, CommandContext c) => r.Validate(c.Route("meetingOn"), MeetingPresence.Attended, c.Now),
                (g, cmd, patient, _) => MeetingAttendance.Decide(g, cmd, patient?.CurrentEpisodeId), Writing.Exclusive)
            .On("/help-groups/{groupId}/meetings/{meetingOn}/absence", "Record that a member missed the meeting of that day (yyyy-MM-dd)",
                (RecordMeetingRequest r, CommandContext c) => r.Validate(c.Route("meetingOn"), MeetingPresence.Missed, c.Now),
                (g, cmd, patient, _) => MeetingAttendance.Decide(g, cmd, patient?.CurrentEpisodeId), Writing.Exclusive)
            .On("/help-groups/{groupId}/withdrawals", "Record that a patient left the group",
                (LeaveGroupRequest r, CommandContext c) => r.Validate(c.Now), (g, cmd, _, _) => GroupLeaving.Decide(g, cmd), Writing.Exclusive);

    /// <summary>The patient a command names, as this clinic knows them (registered, current episode).</summary>
    private static async Task<ClinicPatient?> PatientOfCommand(HelpGroup? _, object command, CommandContext c) => command switch
    {
        EnrolInGroup e => await KnownPatients.Find(c.Session, e.PatientId, c.Cancellation),
        RecordMeeting m => await KnownPatients.Find(c.Session, m.PatientId, c.Cancellation),
        _ => null,
    };
}
