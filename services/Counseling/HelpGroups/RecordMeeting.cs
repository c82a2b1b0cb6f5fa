using Recovery.BuildingBlocks.Time;
using System.Globalization;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.HelpGroups;

/// <summary>An enrolled patient attended the group's meeting of that day.</summary>
public sealed record HelpGroupMeetingAttended(Guid GroupId, Guid PatientId, Guid? EpisodeId, DateOnly MeetingOn);

/// <summary>An enrolled patient missed the group's meeting of that day. Relapse tracking counts it as a missed visit.</summary>
public sealed record HelpGroupMeetingMissed(Guid GroupId, Guid PatientId, Guid? EpisodeId, DateOnly MeetingOn);

public sealed record RecordMeeting(Guid PatientId, DateOnly MeetingOn, MeetingPresence Presence);

/// <summary>The body of an attendance or absence; the meeting's date is in the route.</summary>
public sealed record RecordMeetingRequest(Guid? PatientId)
{
    public Validated<RecordMeeting> Validate(string? meetingOn, MeetingPresence presence, ClinicNow now)
    {
        var errors = new FieldErrors();
        var patientId = errors.Required("patientId", PatientId);
        if (patientId == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        if (!DateOnly.TryParseExact(meetingOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            errors.Add("meetingOn", "must be a date as yyyy-MM-dd");
        else if (RequestTimes.IsInFuture(day, now)) errors.Add("meetingOn", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new RecordMeeting(patientId!.Value, day, presence);
    }
}

public static class MeetingAttendance
{
    /// <param name="episodeId">The patient's current episode at this clinic.</param>
    public static Decision Decide(HelpGroup group, RecordMeeting command, Guid? episodeId)
    {
        if (!group.MeetingDays.Contains(command.MeetingOn.DayOfWeek))
            return DomainError.RuleBroken("not-a-meeting-day",
                $"{group.Name} meets on {string.Join(", ", group.MeetingDays.Select(d => Kebab.Of(d)))}; " +
                $"{command.MeetingOn:yyyy-MM-dd} is a {Kebab.Of(command.MeetingOn.DayOfWeek)}.",
                new Dictionary<string, string[]> { ["meetingOn"] = ["is not one of the group's meeting days"] },
                new Dictionary<string, object?>
                {
                    ["meetingOn"] = command.MeetingOn,
                    ["weekday"] = Kebab.Of(command.MeetingOn.DayOfWeek),
                    ["meetingDays"] = group.MeetingDays.Select(d => Kebab.Of(d)).ToList(),
                });

        var member = group.MemberOf(command.PatientId);
        if (member is null || !member.WasEnrolledOn(command.MeetingOn))
            return DomainError.RuleBroken("not-enrolled",
                $"Patient {command.PatientId} was not enrolled in {group.Name} on {command.MeetingOn:yyyy-MM-dd}.",
                values: new Dictionary<string, object?>
                {
                    ["patientId"] = command.PatientId,
                    ["meetingOn"] = command.MeetingOn,
                    ["enrolments"] = member?.Enrolments ?? [],
                });

        if (member.Meetings.FirstOrDefault(m => m.MeetingOn == command.MeetingOn) is { } recorded)
            return DomainError.Conflict("meeting-already-recorded",
                $"The meeting of {command.MeetingOn:yyyy-MM-dd} is already recorded as {Kebab.Of(recorded.Presence)} for patient {command.PatientId}.",
                new Dictionary<string, object?>
                {
                    ["patientId"] = command.PatientId,
                    ["meetingOn"] = command.MeetingOn,
                    ["recorded"] = Kebab.Of(recorded.Presence),
                });

        return command.Presence == MeetingPresence.Attended
            ? Decision.Accept(new HelpGroupMeetingAttended(group.Id, command.PatientId, episodeId, command.MeetingOn))
            : Decision.Accept(new HelpGroupMeetingMissed(group.Id, command.PatientId, episodeId, command.MeetingOn));
    }
}
