using Hl7.Fhir.Model;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;

namespace Recovery.Timeline.Fhir;

public static partial class FhirExport
{
    /// <summary>
    /// The opioid use disorder found at an assessment, one Condition per assessment (the latest criteria count
    /// wins); null when fewer than 2 DSM-5 criteria are met, which is no use disorder.
    /// </summary>
    private static Condition? OpioidUseDisorder(
        ExportedRecord record, IPatientEvent fact, Guid assessmentId, int criteriaCounted, string severity, string? icd10Code)
    {
        if (criteriaCounted < 2)
            return null;
        var code = new CodeableConcept { Text = $"Opioid use disorder, {severity}" };
        // ICD-10-CM as the assessment coded it (F11.10 abuse for mild, F11.20 dependence for moderate/severe) ...
        if (icd10Code is not null)
            code.Coding.Add(new Coding(FhirCodes.Icd10Cm, icd10Code));
        // ... and the matching SNOMED CT disorder, for receivers that code problems in SNOMED.
        code.Coding.Add(icd10Code?.StartsWith("F11.1", StringComparison.Ordinal) == true
            ? new Coding(FhirCodes.Snomed, "5602001", "Opioid abuse")
            : new Coding(FhirCodes.Snomed, "75544000", "Opioid dependence"));

        return Labelled(new Condition
        {
            ClinicalStatus = FhirCodes.Concept(FhirCodes.ConditionClinical, "active", "Active"),
            VerificationStatus = FhirCodes.Concept(FhirCodes.ConditionVerification, "confirmed", "Confirmed"),
            Category = [FhirCodes.Concept(FhirCodes.ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis")],
            Severity = Severity(severity),
            Code = code,
            Subject = record.Patient,
            RecordedDate = DateTimeOf(fact.OccurredAt),
        }, IdFor("Condition", assessmentId), fact.ClinicId);
    }

    /// <summary>The SNOMED CT severity codes of FHIR's condition-severity value set; DSM-5 uses the same three words.</summary>
    private static CodeableConcept? Severity(string severity) => severity switch
    {
        "mild" => new CodeableConcept(FhirCodes.Snomed, "255604002", "Mild", severity),
        "moderate" => new CodeableConcept(FhirCodes.Snomed, "6736007", "Moderate", severity),
        "severe" => new CodeableConcept(FhirCodes.Snomed, "24484000", "Severe", severity),
        _ => null,
    };

    // LOINC for the three intake infection tests. HIV: 31201-7 (HIV 1+2 Ab) is a result code; 75622-1 is the
    // "HIV 1 and 2 tests - Meaningful Use set" grouper, not meant for one result. The contract does not name the
    // assay, so these are the generic presence-in-serum/plasma codes.
    private static readonly IReadOnlyDictionary<string, (string Code, string Display)> LabCodes = new Dictionary<string, (string, string)>
    {
        ["hiv"] = ("31201-7", "HIV 1+2 Ab [Presence] in Serum or Plasma"),
        ["hepatitis-b"] = ("5196-1", "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay"),
        ["hepatitis-c"] = ("16128-1", "Hepatitis C virus Ab [Presence] in Serum or Plasma"),
    };

    private static Observation LabResult(ExportedRecord record, Guid eventId, LabResultRecorded lab)
    {
        var code = new CodeableConcept { Text = lab.Test };
        if (LabCodes.TryGetValue(lab.Test, out var loinc))
            code.Coding.Add(new Coding(FhirCodes.Loinc, loinc.Code, loinc.Display));
        return Labelled(new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirCodes.ObservationCategoryOf("laboratory", "Laboratory")],
            Code = code,
            Subject = record.Patient,
            Effective = new FhirDateTime(Date(lab.TestedOn)),
            Value = FhirCodes.QualitativeResult(lab.Result),
        }, IdFor("Observation", eventId), lab.ClinicId);
    }

    /// <summary>
    /// Cardiovascular status as the vital-signs profile shapes it: heart rate and blood pressure on their own, the
    /// ECG's QTc as a procedure result, and one "cardiovascular status" observation with the clinician's
    /// conclusion that groups the three.
    /// </summary>
    private static IEnumerable<Observation> Cardiovascular(ExportedRecord record, Guid eventId, CardiovascularStatusRecorded c)
    {
        Observation Measured(string part, string category, Coding coding, Action<Observation> fill)
        {
            var observation = Labelled(new Observation
            {
                Status = ObservationStatus.Final,
                Category = [FhirCodes.ObservationCategoryOf(category, category == "vital-signs" ? "Vital Signs" : "Procedure")],
                Code = new CodeableConcept { Coding = [coding], Text = coding.Display },
                Subject = record.Patient,
                Effective = new FhirDateTime(c.ClinicalTime()),
            }, IdFor("Observation", eventId, part), c.ClinicId);
            fill(observation);
            return observation;
        }

        // LOINC: 8867-4 heart rate; 85354-9 blood pressure panel with 8480-6 systolic / 8462-4 diastolic; 8636-3 QTc.
        var heartRate = Measured("heart-rate", "vital-signs", new Coding(FhirCodes.Loinc, "8867-4", "Heart rate"),
            o => o.Value = FhirCodes.Ucum(c.HeartRate, "beats/minute", "/min"));
        var bloodPressure = Measured("blood-pressure", "vital-signs",
            new Coding(FhirCodes.Loinc, "85354-9", "Blood pressure panel with all children optional"),
            o => o.Component =
            [
                new Observation.ComponentComponent
                {
                    Code = FhirCodes.Concept(FhirCodes.Loinc, "8480-6", "Systolic blood pressure"),
                    Value = FhirCodes.Ucum(c.SystolicBloodPressure, "mmHg", "mm[Hg]"),
                },
                new Observation.ComponentComponent
                {
                    Code = FhirCodes.Concept(FhirCodes.Loinc, "8462-4", "Diastolic blood pressure"),
                    Value = FhirCodes.Ucum(c.DiastolicBloodPressure, "mmHg", "mm[Hg]"),
                },
            ]);
        var qtc = Measured("qtc", "procedure", new Coding(FhirCodes.Loinc, "8636-3", "Q-T interval corrected"),
            o => o.Value = FhirCodes.Ucum(c.QtcMilliseconds, "ms", "ms"));

        // No standard code for "cardiovascular status before detox": text only, the conclusion as its value.
        var status = Labelled(new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirCodes.ObservationCategoryOf("exam", "Exam")],
            Code = new CodeableConcept { Text = "cardiovascular status" },
            Subject = record.Patient,
            Effective = new FhirDateTime(c.ClinicalTime()),
            Value = new CodeableConcept { Text = c.Conclusion },
            HasMember = [Reference(IdFor("Observation", eventId, "heart-rate")),
                Reference(IdFor("Observation", eventId, "blood-pressure")), Reference(IdFor("Observation", eventId, "qtc"))],
        }, IdFor("Observation", eventId, "cardiovascular-status"), c.ClinicId);

        return [status, heartRate, bloodPressure, qtc];
    }

    // The COWS items in the order of the published form; keys as the contracts spell them.
    private static readonly string[] CowsItems =
    [
        "resting-pulse-rate", "sweating", "restlessness", "pupil-size", "bone-or-joint-aches", "runny-nose-or-tearing",
        "gi-upset", "tremor", "yawning", "anxiety-or-irritability", "gooseflesh-skin",
    ];

    /// <summary>
    /// A COWS score (at assessment or as a detox withdrawal check): the total as the value, one component per item,
    /// the band as the interpretation. LOINC has no COWS code that we could confirm, so the total and the items are
    /// coded in our own system "urn:recovery:cows" (item codes are the contract's item keys).
    /// </summary>
    private static Observation WithdrawalScore(
        ExportedRecord record, Guid eventId, IPatientEvent fact, DateTimeOffset scoredAt,
        IReadOnlyDictionary<string, int> items, int total, string band) =>
        Labelled(new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirCodes.ObservationCategoryOf("survey", "Survey")],
            Code = new CodeableConcept(FhirCodes.CowsItems, "total", "COWS total score",
                "Clinical Opiate Withdrawal Scale (COWS) total score"),
            Subject = record.Patient,
            Effective = new FhirDateTime(scoredAt),
            Value = new Integer(total),
            Interpretation = [new CodeableConcept(FhirCodes.CowsBands, band, null, $"withdrawal: {band.Replace('-', ' ')}")],
            Component = items
                .OrderBy(item => Array.IndexOf(CowsItems, item.Key) is var at and >= 0 ? at : int.MaxValue)
                .ThenBy(item => item.Key, StringComparer.Ordinal)
                .Select(item => new Observation.ComponentComponent
                {
                    Code = new CodeableConcept(FhirCodes.CowsItems, item.Key, null, item.Key.Replace('-', ' ')),
                    Value = new Integer(item.Value),
                })
                .ToList(),
        }, IdFor("Observation", eventId), fact.ClinicId);
}
