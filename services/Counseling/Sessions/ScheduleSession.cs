using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.Sessions;

/// <summary>An individual session was scheduled with a counselor, in the patient's current episode (if any).</summary>
public sealed record CounselingSessionScheduled(
    Guid SessionId,
    Guid PatientId,
    Guid? EpisodeId,
    DateTimeOffset ScheduledFor,
    string CounselorId,
    int? PlannedDurationMinutes,
    DateTimeOffset ScheduledAt);

public sealed record ScheduleSession(
    Guid PatientId,
    DateTimeOffset ScheduledFor,
    string CounselorId,
    int? PlannedDurationMinutes,
    Guid SessionId,
    DateTimeOffset Now);

public sealed record ScheduleSessionRequest(Guid? PatientId, DateTimeOffset? ScheduledFor, string? CounselorId, int? PlannedDurationMinutes)
{
    /// <summary>Sessions are booked weeks ahead, not years: a date further out is a typing mistake.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    /// <summary>A session may be scheduled in the past, so that sessions held before they were entered can be recorded.</summary>
    public Validated<ScheduleSession> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var patientId = errors.Required("patientId", PatientId);
        if (patientId == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        var scheduledFor = errors.Required("scheduledFor", ScheduledFor);
        if (scheduledFor > now.Instant + Horizon) errors.Add("scheduledFor", "must be within a year from now");
        var counselor = errors.RequiredText("counselorId", CounselorId, 64);
        SessionRules.CheckDuration(errors, "plannedDurationMinutes", PlannedDurationMinutes);
        if (errors.Any) return errors.ToError();
        return new ScheduleSession(patientId!.Value, scheduledFor!.Value, counselor!, PlannedDurationMinutes, Guid.CreateVersion7(), now);
    }
}

public static class SessionScheduling
{
    /// <param name="patient">The patient as registered at this clinic, or null when the clinic has not registered them.</param>
    public static Decision Decide(ClinicPatient? patient, ScheduleSession command) =>
        patient is null
            ? KnownPatients.NotRegistered(command.PatientId)
            : Decision.Accept(new CounselingSessionScheduled(command.SessionId, patient.PatientId, patient.CurrentEpisodeId,
                command.ScheduledFor, command.CounselorId, command.PlannedDurationMinutes, command.Now));
}
