using Hl7.Fhir.Model;

namespace Recovery.Timeline.Fhir;

public static partial class FhirExport
{
    /// <summary>
    /// A sharing consent (42 CFR Part 2): the patient lets the records of one clinic go to a recipient for a purpose.
    /// Active unless revoked or expired at the moment of export.
    /// </summary>
    private static Consent SharingConsent(ExportedRecord record, SharedConsent consent, DateTimeOffset exportedAt)
    {
        var ended = consent.RevokedAt <= exportedAt || consent.ExpiresAt <= exportedAt;
        var period = new Period { Start = DateTimeOf(consent.GrantedAt) };
        if (consent.ExpiresAt is { } expiresAt)
            period.End = DateTimeOf(expiresAt);
        return Labelled(new Consent
        {
            Identifier = [new Identifier("urn:recovery:consent", consent.ConsentId.ToString())],
            Status = ended ? Consent.ConsentState.Inactive : Consent.ConsentState.Active,
            Scope = FhirCodes.Concept(FhirCodes.ConsentScope, "patient-privacy", "Privacy Consent"),
            // LOINC 59284-0 (patient consent), the category R4's consent examples use.
            Category = [FhirCodes.Concept(FhirCodes.Loinc, "59284-0", "Consent Document")],
            Patient = record.Patient,
            DateTime = DateTimeOf(consent.GrantedAt),
            Performer = [record.Patient],
            Organization = [Clinic(consent.ClinicId)],
            // The law the consent is given under, in v3-ActCode's privacy-law codes (R4 needs a policy or a rule).
            PolicyRule = FhirCodes.Concept(FhirCodes.ActCode, "42CFRPart2", "42 CFR Part2"),
            Provision = new Consent.provisionComponent
            {
                Type = Consent.ConsentProvisionType.Permit,
                Period = period,
                // The recipient is an information recipient (IRCP); "network" means every clinic of the network.
                Actor =
                [
                    new Consent.provisionActorComponent
                    {
                        Role = FhirCodes.Concept(FhirCodes.ParticipationType, "IRCP", "information recipient"),
                        Reference = consent.Recipient == "network"
                            ? new ResourceReference { Identifier = new Identifier(FhirCodes.ClinicIds, "network"), Display = "every clinic of the network" }
                            : Clinic(consent.Recipient),
                    },
                ],
                Purpose = [Purpose(consent.Purpose)],
            },
        }, IdFor("Consent", consent.ConsentId), consent.ClinicId);
    }

    /// <summary>HIPAA/Part 2 purposes of use as v3-ActReason codes.</summary>
    private static Coding Purpose(string purpose) => purpose switch
    {
        "treatment" => new Coding(FhirCodes.ActReason, "TREAT", "treatment"),
        "payment" => new Coding(FhirCodes.ActReason, "HPAYMT", "healthcare payment"),
        "health-care-operations" => new Coding(FhirCodes.ActReason, "HOPERAT", "healthcare operations"),
        _ => new Coding { Display = purpose },
    };
}
