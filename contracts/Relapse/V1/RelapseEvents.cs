// Integration events published by the Relapse tracking service, version 1.
// JSON bodies and their exchanges are documented in docs/events.md.
// Relapse is derived by a named, versioned rule ("ctn-0094-return-to-use@1", "any-positive-after-detox@1"), never typed in.
namespace Recovery.Contracts.Relapse.V1;

/// <summary>
/// Monitoring began after detox ended. DetoxOutcome: completed, dropped-out. PrescribedOpioid: the medication whose
/// presence in a screen is expected (methadone, buprenorphine) or null.
/// </summary>
public sealed record MonitoringStarted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    Guid DetoxPlanId,
    string Medication,
    string DetoxOutcome,
    DateOnly StartedOn,
    string? PrescribedOpioid,
    string Rule) : PatientEvent, IPatientEvent;

/// <summary>
/// A urine drug screen. Results per substance (opiates, fentanyl, oxycodone, methadone, buprenorphine, cocaine,
/// amphetamines, benzodiazepines, cannabis): positive, negative, not-collected. Opiates is LOINC 3879-4.
/// </summary>
public sealed record UrineScreenRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    DateOnly CollectedOn,
    IReadOnlyDictionary<string, string> Results,
    bool NonPrescribedOpioidPositive,
    bool NotCollected) : PatientEvent, IPatientEvent;

/// <summary>The patient reported using a substance.</summary>
public sealed record UseSelfReported(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    string Substance,
    DateOnly UsedOn) : PatientEvent, IPatientEvent;

/// <summary>A missed visit learned from another service. Source: counseling-session, help-group-meeting, dose.</summary>
public sealed record VisitMissed(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    string Source,
    DateOnly MissedOn) : PatientEvent, IPatientEvent;

/// <summary>The clinic's relapse rule found a relapse; Evidence says which facts met it.</summary>
public sealed record RelapseDetected(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    string Rule,
    DateOnly RelapsedOn,
    string Evidence) : PatientEvent, IPatientEvent;

/// <summary>A recomputation under a changed rule no longer finds the relapse it had found.</summary>
public sealed record RelapseRetracted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    string PreviousRule,
    string Rule) : PatientEvent, IPatientEvent;

/// <summary>
/// A monitored patient started a new assessment episode (at this or another clinic of the network), after a relapse or
/// not; monitoring of the earlier episode ends here.
/// </summary>
public sealed record ReturnedToTreatment(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid MonitoringId,
    Guid NewEpisodeId,
    string NewClinicId) : PatientEvent, IPatientEvent;
