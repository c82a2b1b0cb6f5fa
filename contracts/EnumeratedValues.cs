// The values of the contracts' enumerated fields, as docs/events.md lists them: the AsyncAPI document
// (docs/asyncapi.json) gives them to each field's JSON Schema as "enum". Within a version they do not change.
// Data only: a record copied from contracts/ does not need this file.
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using Recovery.Contracts.Sharing.V1;

namespace Recovery.Contracts;

/// <summary>
/// An enumerated field of a contract: the strings it holds (for a list, each element; for a map, each value) and, for a
/// map, the keys it may hold. A null list leaves that part open.
/// </summary>
public sealed record EnumeratedField(Type Contract, string Property, IReadOnlyList<string>? Values, IReadOnlyList<string>? Keys = null);

public static class EnumeratedValues
{
    public static readonly IReadOnlyList<string> Roles = ["clinician", "counselor", "admin"];
    public static readonly IReadOnlyList<string> Sexes = ["female", "male", "other", "unknown"];
    public static readonly IReadOnlyList<string> OudCriteria =
    [
        "larger-amounts-or-longer-than-intended", "unsuccessful-efforts-to-cut-down", "much-time-spent-obtaining-using-recovering",
        "craving", "failure-to-fulfil-major-obligations", "use-despite-social-problems", "activities-given-up",
        "use-in-hazardous-situations", "use-despite-physical-or-psychological-harm", "tolerance", "withdrawal",
    ];
    public static readonly IReadOnlyList<string> Severities = ["none", "mild", "moderate", "severe"];
    public static readonly IReadOnlyList<string> Icd10Codes = ["F11.10", "F11.20"];
    public static readonly IReadOnlyList<string> LabTests = ["hiv", "hepatitis-b", "hepatitis-c"];
    public static readonly IReadOnlyList<string> LabResults = ["positive", "negative", "indeterminate"];
    public static readonly IReadOnlyList<string> CardiovascularConclusions = ["normal", "abnormal-not-significant", "abnormal-significant"];
    public static readonly IReadOnlyList<string> CowsItems =
    [
        "resting-pulse-rate", "sweating", "restlessness", "pupil-size", "bone-or-joint-aches", "runny-nose-or-tearing", "gi-upset",
        "tremor", "yawning", "anxiety-or-irritability", "gooseflesh-skin",
    ];
    public static readonly IReadOnlyList<string> WithdrawalBands = ["no-active-withdrawal", "mild", "moderate", "moderately-severe", "severe"];
    public static readonly IReadOnlyList<string> Medications = ["methadone", "buprenorphine", "extended-release-naltrexone"];
    public static readonly IReadOnlyList<string> DosePhases = ["induction", "stabilisation", "taper"];
    public static readonly IReadOnlyList<string> OpioidKinds = ["short-acting", "extended-release", "methadone", "buprenorphine"];
    public static readonly IReadOnlyList<string> InductionScreenResults = ["positive", "negative"];
    public static readonly IReadOnlyList<string> DropoutReasons =
        ["stopped-attending", "left-against-advice", "transferred", "incarcerated", "hospitalised", "other"];
    public static readonly IReadOnlyList<string> DetoxOutcomes = ["completed", "dropped-out"];
    public static readonly IReadOnlyList<string> PrescribedOpioids = ["methadone", "buprenorphine"];
    public static readonly IReadOnlyList<string> ScreenedSubstances =
        ["opiates", "fentanyl", "oxycodone", "methadone", "buprenorphine", "cocaine", "amphetamines", "benzodiazepines", "cannabis"];
    public static readonly IReadOnlyList<string> ScreenResults = ["positive", "negative", "not-collected"];
    public static readonly IReadOnlyList<string> VisitSources = ["counseling-session", "help-group-meeting", "dose"];
    public static readonly IReadOnlyList<string> SharingPurposes = ["treatment", "payment", "health-care-operations"];

    public static readonly IReadOnlyList<EnumeratedField> Fields =
    [
        new(typeof(Recorder), nameof(Recorder.Role), Roles),
        new(typeof(PatientRegistered), nameof(PatientRegistered.Sex), Sexes),
        new(typeof(OudCriteriaRecorded), nameof(OudCriteriaRecorded.CriteriaMet), OudCriteria),
        new(typeof(OudCriteriaRecorded), nameof(OudCriteriaRecorded.Severity), Severities),
        new(typeof(OudCriteriaRecorded), nameof(OudCriteriaRecorded.Icd10Code), Icd10Codes),
        new(typeof(LabResultRecorded), nameof(LabResultRecorded.Test), LabTests),
        new(typeof(LabResultRecorded), nameof(LabResultRecorded.Result), LabResults),
        new(typeof(CardiovascularStatusRecorded), nameof(CardiovascularStatusRecorded.Conclusion), CardiovascularConclusions),
        new(typeof(WithdrawalScored), nameof(WithdrawalScored.Items), null, CowsItems),
        new(typeof(WithdrawalScored), nameof(WithdrawalScored.Band), WithdrawalBands),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.Severity), Severities),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.Icd10Code), Icd10Codes),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.Hiv), LabResults),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.HepatitisB), LabResults),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.HepatitisC), LabResults),
        new(typeof(AssessmentCompleted), nameof(AssessmentCompleted.CardiovascularConclusion), CardiovascularConclusions),
        new(typeof(DosePhase), nameof(DosePhase.Phase), DosePhases),
        new(typeof(DetoxPlanDrafted), nameof(DetoxPlanDrafted.Medication), Medications),
        new(typeof(LastOpioidUseRecorded), nameof(LastOpioidUseRecorded.Kind), OpioidKinds),
        new(typeof(InductionUrineScreenRecorded), nameof(InductionUrineScreenRecorded.OpioidResult), InductionScreenResults),
        new(typeof(DetoxWithdrawalChecked), nameof(DetoxWithdrawalChecked.Items), null, CowsItems),
        new(typeof(DetoxWithdrawalChecked), nameof(DetoxWithdrawalChecked.Band), WithdrawalBands),
        new(typeof(DoseGiven), nameof(DoseGiven.Medication), Medications),
        new(typeof(MedicationSwitched), nameof(MedicationSwitched.FromMedication), Medications),
        new(typeof(MedicationSwitched), nameof(MedicationSwitched.ToMedication), Medications),
        new(typeof(DetoxCompleted), nameof(DetoxCompleted.Medication), Medications),
        new(typeof(DetoxDroppedOut), nameof(DetoxDroppedOut.Medication), Medications),
        new(typeof(DetoxDroppedOut), nameof(DetoxDroppedOut.Reason), DropoutReasons),
        new(typeof(MonitoringStarted), nameof(MonitoringStarted.Medication), Medications),
        new(typeof(MonitoringStarted), nameof(MonitoringStarted.DetoxOutcome), DetoxOutcomes),
        new(typeof(MonitoringStarted), nameof(MonitoringStarted.PrescribedOpioid), PrescribedOpioids),
        new(typeof(UrineScreenRecorded), nameof(UrineScreenRecorded.Results), ScreenResults, ScreenedSubstances),
        new(typeof(VisitMissed), nameof(VisitMissed.Source), VisitSources),
        new(typeof(ConsentGranted), nameof(ConsentGranted.Purpose), SharingPurposes),
    ];
}
