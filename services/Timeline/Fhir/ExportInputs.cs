using Recovery.Contracts;

namespace Recovery.Timeline.Fhir;

/// <summary>A fact on the network record with the id of the event that carried it (resource ids derive from it).</summary>
public sealed record RecordedFact(Guid EventId, IPatientEvent Fact);

/// <summary>
/// A consent as the network record holds it: the records of <see cref="ClinicId"/> may go to <see cref="Recipient"/>
/// (a clinic id, or "network") for <see cref="Purpose"/> (treatment, payment, health-care-operations).
/// </summary>
public sealed record SharedConsent(
    Guid ConsentId,
    string ClinicId,
    string Recipient,
    string Purpose,
    DateTimeOffset GrantedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);
