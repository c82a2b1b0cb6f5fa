using Hl7.Fhir.Model;
using Recovery.Contracts.Relapse.V1;

namespace Recovery.Timeline.Fhir;

public static partial class FhirExport
{
    // The substances of a monitoring screen in the order of the contract.
    private static readonly string[] Substances =
    [
        "opiates", "fentanyl", "oxycodone", "methadone", "buprenorphine", "cocaine", "amphetamines", "benzodiazepines", "cannabis",
    ];

    // LOINC 3879-4 "Opiates [Presence] in Urine" names the screen (the measure the analytics team reads) and its opiates
    // result. The other substances are coded by name in "urn:recovery:substance": the contract does not say which
    // assay found them, and a LOINC code names the assay.
    private static Coding OpiatesInUrine() => new(FhirCodes.Loinc, "3879-4", "Opiates [Presence] in Urine");

    /// <summary>
    /// A urine drug screen: one component per substance. A screen that was not collected stays on the record (it
    /// counts towards relapse rules) as a cancelled observation with a data-absent reason.
    /// </summary>
    private static Observation UrineScreen(ExportedRecord record, Guid eventId, UrineScreenRecorded screen)
    {
        var observation = Labelled(new Observation
        {
            Status = screen.NotCollected ? ObservationStatus.Cancelled : ObservationStatus.Final,
            Category = [FhirCodes.ObservationCategoryOf("laboratory", "Laboratory")],
            Code = new CodeableConcept { Coding = [OpiatesInUrine()], Text = "urine drug screen" },
            Subject = record.Patient,
            Effective = new FhirDateTime(Date(screen.CollectedOn)),
        }, IdFor("Observation", eventId), screen.ClinicId);
        if (screen.NotCollected)
        {
            observation.DataAbsentReason = NotPerformed();
            return observation;
        }
        observation.Component = screen.Results
            .OrderBy(r => Array.IndexOf(Substances, r.Key) is var at and >= 0 ? at : int.MaxValue)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new Observation.ComponentComponent
            {
                Code = r.Key == "opiates"
                    ? new CodeableConcept { Coding = [OpiatesInUrine()], Text = r.Key }
                    : new CodeableConcept(FhirCodes.Substances, r.Key, null, r.Key),
                Value = r.Value == "not-collected" ? null : FhirCodes.QualitativeResult(r.Value),
                DataAbsentReason = r.Value == "not-collected" ? NotPerformed() : null,
            })
            .ToList();
        if (screen.NonPrescribedOpioidPositive)
            observation.Note.Add(new Annotation { Text = "positive for an opioid that was not prescribed" });
        return observation;
    }

    private static CodeableConcept NotPerformed() => FhirCodes.Concept(FhirCodes.DataAbsentReason, "not-performed", "Not Performed");
}
