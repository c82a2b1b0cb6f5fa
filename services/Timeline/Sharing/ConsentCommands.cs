using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.Timeline.Sharing;

/// <summary>A consent as a new stream needs it: whose, and its id, fixed once so the decision and the stream agree.</summary>
public sealed record GrantConsent(Guid PatientId, Guid ConsentId, RecordConsent Consent);

/// <summary>Every command on a patient's consent, one line each.</summary>
public static class ConsentCommands
{
    public static void MapConsentCommands(this IEndpointRouteBuilder patients) =>
        new CommandTable<Consent, NoNeeds>(patients, "consentId", NotFound, c => c.PatientId, ConsentProjection.Evolve, NoNeeds.Of, (consent, _, _, _) => consent,
                consent => $"/patients/{consent.PatientId}/consents/{consent.Id}")
            .Start("/consents", "Record the patient's consent to share this clinic's records",
                (RecordConsentRequest r, CommandContext c) => c.RouteId("patientId")
                    .Then(patientId => r.Validate(c.Now).Then<GrantConsent>(consent => new GrantConsent(patientId, Guid.CreateVersion7(), consent))),
                (cmd, _) => cmd.ConsentId, (cmd, c) => NetworkRecord.Treats(c.Session, c.ClinicId, cmd.PatientId, c.Cancellation),
                (treats, cmd, c) => ConsentRules.Record(treats, c.ClinicId, c.By.UserId, cmd.ConsentId, cmd.PatientId, cmd.Consent, c.Now))
            .On("/consents/{consentId}/revocation", "Revoke a consent this clinic recorded",
                c => c.RouteId("patientId"), (consent, patientId, _, c) => ConsentRules.Revoke(consent, patientId, c.ClinicId, c.By.UserId, c.Now));

    private static DomainError NotFound(Guid consentId) => DomainError.NotFound("consent-not-found", $"No consent {consentId} for the patient.");
}
