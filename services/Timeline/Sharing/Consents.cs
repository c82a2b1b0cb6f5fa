using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.Sharing;

/// <summary>Why records are disclosed (42 CFR Part 2 consents name a purpose).</summary>
public enum SharingPurpose
{
    Treatment,
    Payment,
    HealthCareOperations,
}

/// <summary>
/// The patient consented that the records of treatment at <paramref name="ClinicId"/> may go to <paramref name="Recipient"/>
/// (a clinic id, or <see cref="Consent.Network"/>) for <paramref name="Purpose"/>, until <paramref name="ExpiresAt"/>.
/// </summary>
public sealed record ConsentRecorded(
    Guid ConsentId,
    Guid PatientId,
    string ClinicId,
    string Recipient,
    SharingPurpose Purpose,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset RecordedAt,
    string RecordedBy);

public sealed record ConsentRevoked(Guid ConsentId, Guid PatientId, string ClinicId, DateTimeOffset RevokedAt, string RecordedBy);

/// <summary>A consent as it stands: live while neither revoked nor expired.</summary>
public sealed record Consent
{
    /// <summary>The recipient that stands for every clinic of the network (a general designation).</summary>
    public const string Network = "network";

    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicId { get; init; } = "";
    public string Recipient { get; init; } = "";
    public SharingPurpose Purpose { get; init; }
    public DateTimeOffset GrantedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string RecordedBy { get; init; } = "";

    public bool IsLiveAt(DateTimeOffset at) => GrantedAt <= at && RevokedAt is null && (ExpiresAt is null || at < ExpiresAt);

    /// <summary>Whether this consent lets <paramref name="clinic"/> see this clinic's records for <paramref name="purpose"/> at <paramref name="at"/>.</summary>
    public bool Covers(string clinic, SharingPurpose purpose, DateTimeOffset at) =>
        IsLiveAt(at) && Purpose == purpose && (Recipient == Network || Recipient == clinic);

    public static Consent From(ConsentRecorded e) => new()
    {
        Id = e.ConsentId, PatientId = e.PatientId, ClinicId = e.ClinicId, Recipient = e.Recipient, Purpose = e.Purpose,
        GrantedAt = e.RecordedAt, ExpiresAt = e.ExpiresAt, RecordedBy = e.RecordedBy,
    };
}

public sealed class ConsentProjection : SingleStreamProjection<Consent, Guid>
{
    /// <summary>Its name to the daemon (rebuilds, progress).</summary>
    public const string ProjectionName = "Consent";

    public ConsentProjection()
    {
        Name = ProjectionName;
        IncludeType<ConsentRecorded>();
        IncludeType<ConsentRevoked>();
    }

    public override Consent Evolve(Consent? snapshot, Guid id, IEvent e) => Evolve(snapshot, e.Data);

    /// <summary>Folds a consent's events: a pure function, shared by the projection and the command pipeline.</summary>
    public static Consent Evolve(Consent? consent, object e) => e switch
    {
        ConsentRecorded recorded => Consent.From(recorded),
        ConsentRevoked revoked => consent! with { RevokedAt = revoked.RevokedAt },
        _ => consent!,
    };
}

public sealed record RecordConsent(string Recipient, SharingPurpose Purpose, DateTimeOffset? ExpiresAt);

public sealed record RecordConsentRequest(string? Recipient, string? Purpose, DateTimeOffset? ExpiresAt)
{
    public Validated<RecordConsent> Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var recipient = errors.RequiredText("recipient", Recipient, 63);
        if (recipient is not null && recipient != Consent.Network && !Clinic.IsValidId(recipient))
            errors.Add("recipient", $"must be a clinic id (2-63 lower-case letters, digits or hyphens) or \"{Consent.Network}\"");
        var purpose = errors.OneOf<SharingPurpose>("purpose", Purpose);
        if (ExpiresAt <= now) errors.Add("expiresAt", "must be in the future");
        if (errors.Any) return errors.ToError();
        return new RecordConsent(recipient!, purpose, ExpiresAt);
    }
}

/// <summary>The rules of recording and revoking consent, as pure functions.</summary>
public static class ConsentRules
{
    /// <summary>
    /// A clinic records consent to disclose its own records of the patient; it must be treating them (have records).
    /// A consent to itself would mean nothing.
    /// </summary>
    public static Decision Record(bool clinicHasRecords, string clinic, string user, Guid consentId, Guid patientId, RecordConsent command,
        DateTimeOffset now)
    {
        if (!clinicHasRecords)
            return NetworkRecord.NoRecordsAt(clinic, patientId);
        if (command.Recipient == clinic)
            return DomainError.RuleBroken("consent-to-own-clinic", "A clinic always sees its own records; name another clinic or the network.",
                new Dictionary<string, string[]> { ["recipient"] = ["must not be the recording clinic"] });
        return Decision.Accept(new ConsentRecorded(consentId, patientId, clinic, command.Recipient, command.Purpose, command.ExpiresAt, now, user));
    }

    /// <summary>Only the clinic whose records a consent covers records its revocation; revoking twice is refused.</summary>
    public static Decision Revoke(Consent? consent, Guid patientId, string clinic, string user, DateTimeOffset now)
    {
        if (consent is null || consent.PatientId != patientId || consent.ClinicId != clinic)
            return DomainError.NotFound("consent-not-found", $"Clinic {clinic} recorded no such consent for patient {patientId}.");
        if (consent.RevokedAt is not null)
            return DomainError.Conflict("consent-already-revoked", $"The consent was revoked at {consent.RevokedAt:O}.");
        return Decision.Accept(new ConsentRevoked(consent.Id, patientId, clinic, now, user));
    }
}
