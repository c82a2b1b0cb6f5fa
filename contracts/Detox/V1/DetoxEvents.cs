// Integration events published by the Detox planning service, version 1.
// JSON bodies and their exchanges are documented in docs/events.md.
// EpisodeId is the assessment that opened the treatment episode the plan belongs to.
// Medication: methadone, buprenorphine, extended-release-naltrexone.
namespace Recovery.Contracts.Detox.V1;

/// <summary>One phase of a plan's dose schedule. Phase: induction, stabilisation, taper.</summary>
public sealed record DosePhase(string Phase, int Days, decimal DailyDoseMg);

/// <summary>A clinician drafted a detox plan after a completed assessment.</summary>
public sealed record DetoxPlanDrafted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Medication,
    IReadOnlyList<DosePhase> Schedule,
    string DraftedBy) : PatientEvent, IPatientEvent;

/// <summary>A second clinician approved the plan; doses may now be given.</summary>
public sealed record DetoxPlanApproved(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string ApprovedBy) : PatientEvent, IPatientEvent;

/// <summary>
/// The patient's last opioid use before induction. Kind: short-acting (heroin and other short-acting opioids),
/// extended-release, methadone, buprenorphine.
/// </summary>
public sealed record LastOpioidUseRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Kind,
    DateTimeOffset UsedAt) : PatientEvent, IPatientEvent;

/// <summary>A pre-induction urine screen for opioids. Result: positive, negative.</summary>
public sealed record InductionUrineScreenRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string OpioidResult,
    DateTimeOffset CollectedAt) : PatientEvent, IPatientEvent;

/// <summary>A COWS withdrawal check during detox (same scale and bands as WithdrawalScored at assessment).</summary>
public sealed record DetoxWithdrawalChecked(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    DateTimeOffset ScoredAt,
    IReadOnlyDictionary<string, int> Items,
    int Total,
    string Band) : PatientEvent, IPatientEvent;

/// <summary>
/// A dose was given. FirstDose marks induction; AboveCapOverride marks a dose above the clinic's methadone cap, given with
/// a documented reason. The reason itself is free text about a person and stays (sealed) in the Detox service, where
/// erasing the patient can reach it.
/// </summary>
public sealed record DoseGiven(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Medication,
    decimal DoseMg,
    DateTimeOffset GivenAt,
    string GivenBy,
    bool FirstDose,
    bool AboveCapOverride) : PatientEvent, IPatientEvent;

/// <summary>A scheduled dose was not taken (the patient did not come). Relapse tracking counts it as a missed visit.</summary>
public sealed record DoseMissed(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    DateOnly MissedOn) : PatientEvent, IPatientEvent;

/// <summary>
/// The plan switched medication (with a new schedule); the next dose of the new medication is a new induction. The reason
/// is free text about a person and stays (sealed) in the Detox service.
/// </summary>
public sealed record MedicationSwitched(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string FromMedication,
    string ToMedication,
    IReadOnlyList<DosePhase> Schedule) : PatientEvent, IPatientEvent;

/// <summary>The detox was completed as planned. Relapse tracking starts monitoring the patient.</summary>
public sealed record DetoxCompleted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Medication,
    DateOnly CompletedOn,
    int DaysInTreatment) : PatientEvent, IPatientEvent;

/// <summary>
/// The patient left detox before completion. Reason: stopped-attending, left-against-advice, transferred,
/// incarcerated, hospitalised, other. Relapse tracking starts monitoring the patient.
/// </summary>
public sealed record DetoxDroppedOut(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Medication,
    DateOnly DroppedOutOn,
    string Reason,
    int DaysInTreatment) : PatientEvent, IPatientEvent;

/// <summary>
/// A clinician drafted a change of an approved plan's schedule: the whole schedule as it would stand, phases counted from the
/// medication's first dose. It takes effect when a second clinician approves it (ScheduleChangeApproved).
/// </summary>
public sealed record ScheduleChangeDrafted(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    Guid ChangeId,
    string Medication,
    IReadOnlyList<DosePhase> Schedule,
    string DraftedBy) : PatientEvent, IPatientEvent;

/// <summary>A second clinician approved a schedule change: doses from ApprovedAt are held to its schedule.</summary>
public sealed record ScheduleChangeApproved(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    Guid ChangeId,
    IReadOnlyList<DosePhase> Schedule,
    string ApprovedBy,
    DateTimeOffset ApprovedAt) : PatientEvent, IPatientEvent;

/// <summary>
/// The prescriber (RecordedBy) recorded why a patient whose assessment is not moderate-to-severe OUD is admitted to methadone (42 CFR 8.12(e)).
/// Basis: oud-in-remission, high-risk-of-recurrence-or-overdose. The reason is free text about a person and stays (sealed) in
/// the Detox service.
/// </summary>
public sealed record AdmissionJustificationRecorded(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid PlanId,
    string Basis) : PatientEvent, IPatientEvent;
