using Hl7.Fhir.Model;

namespace Recovery.Timeline.Fhir;

/// <summary>The code systems and codes the export uses, each with why it was chosen.</summary>
internal static class FhirCodes
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string UcumSystem = "http://unitsofmeasure.org";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope";
    public const string DataAbsentReason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    // Our own systems, for things no standard code covers (see each use).
    public const string CowsItems = "urn:recovery:cows";
    public const string CowsBands = "urn:recovery:cows-band";
    public const string Substances = "urn:recovery:substance";
    public const string ClinicIds = "urn:recovery:clinic";
    public const string PatientIds = "urn:recovery:patient";
    public const string UserIds = "urn:recovery:user";
    public const string ProvenanceParticipants = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    /// <summary>Where a resource came from: meta.source = "urn:clinic:&lt;clinic id&gt;" (the clinic whose staff recorded it).</summary>
    public static string ClinicSource(string clinicId) => $"urn:clinic:{Uri.EscapeDataString(clinicId)}";

    // DS4P: "SUD" (ActCode) marks substance-use-disorder information, which 42 CFR Part 2 protects, and
    // "R" (restricted) is the confidentiality that goes with it. Every resource and the bundle carry both.
    public static List<Coding> SecurityLabels() =>
    [
        new(ActCode, "SUD", "substance use disorder information sensitivity"),
        new(Confidentiality, "R", "restricted"),
    ];

    /// <summary>Positive/negative/indeterminate as SNOMED CT qualifier values (the usual codes for a qualitative result).</summary>
    public static CodeableConcept QualitativeResult(string result) => result switch
    {
        "positive" => new CodeableConcept(Snomed, "10828004", "Positive", result),
        "negative" => new CodeableConcept(Snomed, "260385009", "Negative", result),
        "indeterminate" => new CodeableConcept(Snomed, "82334004", "Indeterminate", result),
        _ => new CodeableConcept { Text = result },
    };

    /// <summary>RxNorm ingredient codes; the extended-release product is still the naltrexone ingredient.</summary>
    public static CodeableConcept Medication(string medication) => medication switch
    {
        "methadone" => new CodeableConcept(RxNorm, "6813", "methadone", medication),
        "buprenorphine" => new CodeableConcept(RxNorm, "1819", "buprenorphine", medication),
        "extended-release-naltrexone" => new CodeableConcept(RxNorm, "7243", "naltrexone", medication),
        _ => new CodeableConcept { Text = medication },
    };

    /// <summary>One coded concept (the SDK's three-argument constructor would take the display as text).</summary>
    public static CodeableConcept Concept(string system, string code, string display) =>
        new() { Coding = [new Coding(system, code, display)] };

    public static CodeableConcept ObservationCategoryOf(string code, string display) => Concept(ObservationCategory, code, display);

    /// <summary>A UCUM quantity: value, the unit people read, and the UCUM code machines read.</summary>
    public static Quantity Ucum(decimal value, string unit, string code) =>
        new() { Value = value, Unit = unit, System = UcumSystem, Code = code };
}
