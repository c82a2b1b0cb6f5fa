// Integration events published by the Counseling service, version 1.
// JSON bodies and their exchanges are documented in docs/events.md.
// Session notes are free text about a person and never leave the service.
namespace Recovery.Contracts.Counseling.V1;

/// <summary>An individual counseling session was scheduled.</summary>
public sealed record CounselingSessionScheduled(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid SessionId,
    DateTimeOffset ScheduledFor,
    string Counselor) : PatientEvent, IPatientEvent;

/// <summary>The patient attended an individual session.</summary>
public sealed record CounselingSessionAttended(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid SessionId,
    DateTimeOffset AttendedAt,
    int DurationMinutes) : PatientEvent, IPatientEvent;

/// <summary>The patient missed an individual session. Relapse tracking counts it as a missed visit.</summary>
public sealed record CounselingSessionMissed(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid SessionId,
    DateTimeOffset ScheduledFor) : PatientEvent, IPatientEvent;

/// <summary>A scheduled session was called off before it took place (the reason stays in the service).</summary>
public sealed record CounselingSessionCancelled(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid SessionId,
    DateTimeOffset ScheduledFor) : PatientEvent, IPatientEvent;

/// <summary>The patient was enrolled in a help group (a group meets on a weekly schedule at the clinic).</summary>
public sealed record HelpGroupEnrolled(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid GroupId,
    string GroupName) : PatientEvent, IPatientEvent;

/// <summary>The patient attended a help-group meeting.</summary>
public sealed record HelpGroupMeetingAttended(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid GroupId,
    DateOnly MeetingOn) : PatientEvent, IPatientEvent;

/// <summary>The patient missed a help-group meeting. Relapse tracking counts it as a missed visit.</summary>
public sealed record HelpGroupMeetingMissed(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid GroupId,
    DateOnly MeetingOn) : PatientEvent, IPatientEvent;
