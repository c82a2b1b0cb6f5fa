// Integration events published by the Assessment service, version 1.
// JSON bodies and their exchanges are documented in docs/events.md.
// Enumerated values travel as lower-case kebab strings so any consumer can read them.
namespace Recovery.Contracts.Assessment.V1;

/// <summary>A clinic registered a patient. Carries no name, contact or full date of birth.</summary>
public sealed record PatientRegistered(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid RegistrationId,
    string Sex,
    int BirthYear) : PatientEvent, IPatientEvent;

/// <summary>
/// A clinic marked its registration entered in error: the person it registered is not this network patient (a wrong link).
/// Treat the clinic's facts of the patient recorded until now as not this patient's: the PatientRegistered whose messageId is
/// <see cref="EnteredInErrorEventId"/>, and anything else the clinic recorded under it. The clinic may register the patient
/// again later (a new RegistrationId).
/// </summary>
public sealed record RegistrationEnteredInError(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid RegistrationId,
    Guid EnteredInErrorEventId) : PatientEvent, IPatientEvent;

/// <summary>An assessment episode (intake) was opened; it starts a treatment episode.</summary>
public sealed record AssessmentStarted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId) : PatientEvent, IPatientEvent;

/// <summary>DSM-5 opioid-use-disorder criteria were recorded. Severity: none, mild, moderate, severe.</summary>
public sealed record OudCriteriaRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId,
    IReadOnlyList<string> CriteriaMet,
    bool OnlyUnderMedicalSupervision,
    int CriteriaCounted,
    string Severity,
    string? Icd10Code) : PatientEvent, IPatientEvent;

/// <summary>A laboratory result. Test: hiv, hepatitis-b, hepatitis-c. Result: positive, negative, indeterminate.</summary>
public sealed record LabResultRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId,
    string Test,
    string Result,
    DateOnly TestedOn) : PatientEvent, IPatientEvent;

/// <summary>Cardiovascular status. Conclusion: normal, abnormal-not-significant, abnormal-significant.</summary>
public sealed record CardiovascularStatusRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId,
    int HeartRate,
    int SystolicBloodPressure,
    int DiastolicBloodPressure,
    int QtcMilliseconds,
    string Conclusion) : PatientEvent, IPatientEvent;

/// <summary>A Clinical Opiate Withdrawal Scale score: 11 item scores, the total (0-48) and its band.</summary>
public sealed record WithdrawalScored(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId,
    DateTimeOffset ScoredAt,
    IReadOnlyDictionary<string, int> Items,
    int Total,
    string Band) : PatientEvent, IPatientEvent;

/// <summary>The assessment is complete: detox may now be planned for this episode.</summary>
public sealed record AssessmentCompleted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid AssessmentId,
    string Severity,
    int CriteriaCounted,
    string? Icd10Code,
    string Hiv,
    string HepatitisB,
    string HepatitisC,
    string CardiovascularConclusion,
    int QtcMilliseconds,
    int? LatestCowsTotal) : PatientEvent, IPatientEvent;
