// Integration events published by the Timeline service (the network record), version 1.
// JSON bodies and their exchanges are documented in docs/events.md.
// These are about the network record itself, not facts of care, so they do not appear on the timeline.
namespace Recovery.Contracts.Sharing.V1;

/// <summary>
/// The patient consented that the records of treatment at <see cref="ClinicId"/> may be disclosed to
/// <see cref="Recipient"/> (a clinic id, or "network" for every clinic of the network) for <see cref="Purpose"/>
/// (treatment, payment, health-care-operations) until <see cref="ExpiresAt"/> (none: until revoked).
/// </summary>
public sealed record ConsentGranted(
    Guid PatientId,
    string ClinicId,
    DateTimeOffset OccurredAt,
    Guid ConsentId,
    string Recipient,
    string Purpose,
    DateTimeOffset? ExpiresAt);

/// <summary>The patient revoked a consent; disclosures under it stop from <see cref="OccurredAt"/> on.</summary>
public sealed record ConsentRevoked(
    Guid PatientId,
    string ClinicId,
    DateTimeOffset OccurredAt,
    Guid ConsentId);

/// <summary>
/// The person asked to be forgotten. Every service deletes the keys of the personal data in <see cref="Scope"/> on receipt:
/// its events stay, their personal fields (name, date of birth, contact, free-text notes) can no longer be read.
/// <see cref="ClinicId"/> is the clinic whose administrator recorded the request (added in 1.2). <see cref="Scope"/>
/// (added in 1.6) is "clinic" (only what that clinic holds) or "network" (every clinic's; a network administrator's
/// erasure); a message without it is network-wide, as every erasure was before 1.6.
/// </summary>
public sealed record PatientErased(
    Guid PatientId,
    DateTimeOffset OccurredAt,
    Guid ErasureId,
    string ClinicId,
    string? Scope = null)
{
    public const string ClinicScope = "clinic";
    public const string NetworkScope = "network";

    /// <summary>The clinic whose data goes, or null for every clinic's.</summary>
    public string? ErasedClinic => Scope == ClinicScope ? ClinicId : null;
}
