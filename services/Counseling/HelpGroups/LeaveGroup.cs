using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Counseling.HelpGroups;

/// <summary>A patient left a help group (the day given is their last day in it). Private: no contract carries it.</summary>
public sealed record HelpGroupLeft(Guid GroupId, Guid PatientId, DateOnly LeftOn);

public sealed record LeaveGroup(Guid PatientId, DateOnly LeftOn);

public sealed record LeaveGroupRequest(Guid? PatientId, DateOnly? LeftOn)
{
    /// <summary>The leaving date defaults to today and may be in the past.</summary>
    public Validated<LeaveGroup> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var patientId = errors.Required("patientId", PatientId);
        if (patientId == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        var leftOn = LeftOn ?? now.Today;
        if (RequestTimes.IsInFuture(leftOn, now)) errors.Add("leftOn", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new LeaveGroup(patientId!.Value, leftOn);
    }
}

public static class GroupLeaving
{
    public static Decision Decide(HelpGroup group, LeaveGroup command)
    {
        var member = group.MemberOf(command.PatientId);
        if (member?.Current is not { } current)
            return DomainError.RuleBroken("not-enrolled", $"Patient {command.PatientId} is not enrolled in {group.Name}.",
                values: new Dictionary<string, object?> { ["patientId"] = command.PatientId });
        if (command.LeftOn < current.EnrolledOn)
            return DomainError.RuleBroken("left-before-enrolled",
                $"Patient {command.PatientId} was enrolled in {group.Name} on {current.EnrolledOn:yyyy-MM-dd}; they cannot have left before.",
                new Dictionary<string, string[]> { ["leftOn"] = ["is before the day of enrolment"] },
                new Dictionary<string, object?> { ["enrolledOn"] = current.EnrolledOn, ["leftOn"] = command.LeftOn });
        // Every recorded meeting stays inside a period of membership.
        var later = member.Meetings.Where(m => m.MeetingOn > command.LeftOn).Select(m => m.MeetingOn).Order().ToList();
        if (later.Count > 0)
            return DomainError.RuleBroken("meetings-after-leaving",
                $"Meetings after {command.LeftOn:yyyy-MM-dd} are recorded for patient {command.PatientId}: {string.Join(", ", later.Select(d => d.ToString("yyyy-MM-dd")))}.",
                new Dictionary<string, string[]> { ["leftOn"] = ["is before meetings recorded for the patient"] },
                new Dictionary<string, object?> { ["leftOn"] = command.LeftOn, ["meetingsAfter"] = later });

        return Decision.Accept(new HelpGroupLeft(group.Id, command.PatientId, command.LeftOn));
    }
}
