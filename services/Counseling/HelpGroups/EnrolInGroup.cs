using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.HelpGroups;

/// <summary>A patient was enrolled in a help group, in their current episode (if any).</summary>
public sealed record HelpGroupEnrolled(Guid GroupId, string GroupName, Guid PatientId, Guid? EpisodeId, DateOnly EnrolledOn);

public sealed record EnrolInGroup(Guid PatientId, DateOnly EnrolledOn);

public sealed record EnrolInGroupRequest(Guid? PatientId, DateOnly? EnrolledOn)
{
    /// <summary>The enrolment date defaults to today and may be in the past, so an earlier enrolment can be entered.</summary>
    public Validated<EnrolInGroup> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var patientId = errors.Required("patientId", PatientId);
        if (patientId == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        var enrolledOn = EnrolledOn ?? now.Today;
        if (RequestTimes.IsInFuture(enrolledOn, now)) errors.Add("enrolledOn", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new EnrolInGroup(patientId!.Value, enrolledOn);
    }
}

public static class GroupEnrolment
{
    /// <param name="patient">The patient as registered at this clinic, or null when the clinic has not registered them.</param>
    public static Decision Decide(HelpGroup group, ClinicPatient? patient, EnrolInGroup command)
    {
        if (patient is null) return KnownPatients.NotRegistered(command.PatientId);

        var member = group.MemberOf(command.PatientId);
        if (member?.Current is { } current)
            return DomainError.Conflict("already-enrolled",
                $"Patient {command.PatientId} is already enrolled in {group.Name} since {current.EnrolledOn:yyyy-MM-dd}.",
                new Dictionary<string, object?> { ["patientId"] = command.PatientId, ["enrolledOn"] = current.EnrolledOn });
        // Periods of membership must not overlap, or a meeting would belong to two of them.
        if (member?.Enrolments.LastOrDefault()?.LeftOn is { } leftOn && command.EnrolledOn <= leftOn)
            return DomainError.RuleBroken("enrolment-overlaps",
                $"Patient {command.PatientId} left {group.Name} on {leftOn:yyyy-MM-dd}; a new enrolment must start after that day.",
                new Dictionary<string, string[]> { ["enrolledOn"] = ["must be after the day the patient last left the group"] },
                new Dictionary<string, object?> { ["leftOn"] = leftOn, ["enrolledOn"] = command.EnrolledOn });

        return Decision.Accept(new HelpGroupEnrolled(group.Id, group.Name, command.PatientId, patient.CurrentEpisodeId, command.EnrolledOn));
    }
}
