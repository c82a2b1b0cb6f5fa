using System.Security.Cryptography;
using System.Text;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>
/// The identifying data of a registration as blind indexes (see <see cref="BlindIndex"/>): how the clinic finds its own
/// patients and how the network compares a new registration with the person's record, with no name or birth date in
/// plaintext. Written with the registration (one transaction); at erasure the index values are cleared and the document
/// stays as a tombstone, so an erased person can still only be linked with a link code.
/// </summary>
public sealed record RegistrationIndex
{
    /// <summary>The registration's id.</summary>
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicId { get; init; } = "";
    public string ClinicRecordNumber { get; init; } = "";
    public string? FullName { get; init; }
    public string? FamilyName { get; init; }
    public string? GivenName { get; init; }
    public string? BirthDate { get; init; }
    public Sex Sex { get; init; }

    /// <summary>The person's identifying data was erased here: nothing left to compare or find.</summary>
    public bool Erased { get; init; }

    /// <summary>The registration was entered in error (the wrong person): it no longer links the patient.</summary>
    public bool Unlinked { get; init; }

    public bool Live => !Erased && !Unlinked;

    public RegistrationIndex Erase() => this with { FullName = null, FamilyName = null, GivenName = null, BirthDate = null, Erased = true };
}

/// <summary>The identifying values of a registration command, as blind indexes.</summary>
public sealed record IdentityKeys(string FullName, string FamilyName, string GivenName, string BirthDate)
{
    public static IdentityKeys Of(BlindIndex index, string givenName, string familyName, DateOnly dateOfBirth) => new(
        index.Of("full-name", BlindIndex.NormalisedName(familyName) + "\n" + BlindIndex.NormalisedName(givenName)),
        index.OfName("family-name", familyName), index.OfName("given-name", givenName), index.OfDate("birth-date", dateOfBirth));
}

/// <summary>
/// A short-lived, single-use code the clinic that knows a patient gives them to carry to another clinic: registering with it
/// links the new registration to the patient's network record, even where a name or other identifying data changed. Only
/// a hash of the code is stored. Not a fact of care, so not an event: the code's issue and use are operational records.
/// </summary>
public sealed record LinkCode
{
    /// <summary>SHA-256 of the normalised code, hex.</summary>
    public string Id { get; init; } = "";
    public Guid PatientId { get; init; }
    public string IssuedBy { get; init; } = "";
    public string IssuedByUser { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    public string? UsedBy { get; init; }

    /// <summary>Crockford base32 without look-alikes (no I, L, O, U): easy to read out and type.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code: 10 characters (50 bits) in two groups, "7KQ4M-2XDPA".</summary>
    public static string NewCode()
    {
        Span<char> code = stackalloc char[11];
        for (var i = 0; i < 11; i++) code[i] = i == 5 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(code);
    }

    /// <summary>The stored id of a code as typed: case, spaces and hyphens do not matter.</summary>
    public static string IdOf(string code)
    {
        var normal = new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("link-code\n" + normal)));
    }
}

/// <summary>Identity settings: configuration section "Identity".</summary>
public sealed class IdentitySettings
{
    public const string Section = "Identity";

    /// <summary>How long a link code can be used after it is issued (hours).</summary>
    public int LinkCodeHours { get; set; } = 24;
}

/// <summary>What a registration reads before it is decided: an existing registration of the record number, the network
/// record of the patient it names (every clinic's registration index of that patient), the link code it carries, and the id
/// the new registration takes (see <see cref="PatientRegistration.RegistrationIdOf"/>).</summary>
public sealed record RegistrationRead(RegisteredPatient? Existing, IReadOnlyList<RegistrationIndex> NetworkRecord, LinkCode? Code,
    Guid RegistrationId = default);

public static class NetworkIdentity
{
    /// <summary>
    /// Whether a registration may link to the network patient it names. A link code issued for that patient, unused and
    /// unexpired, links it. Without one, the registration's birth date, sex and normalised name must match a live
    /// registration of the patient (sex "unknown" on either side is no mismatch); otherwise nothing is linked. The refusal
    /// does not say which value differs: that would let a caller probe the record field by field.
    /// </summary>
    public static DomainError? CheckLink(RegistrationRead read, Guid patientId, IdentityKeys keys, Sex sex, string? code, DateTimeOffset now)
    {
        if (code is not null)
        {
            if (read.Code is not { } link || link.PatientId != patientId)
                return Refused("link-code-invalid", "The link code is not one issued for this patient.", "linkCode");
            if (link.UsedAt is not null)
                return Refused("link-code-used", $"The link code was already used at {link.UsedAt:u}; ask for a new one.", "linkCode");
            if (link.ExpiresAt <= now)
                return Refused("link-code-expired", $"The link code expired at {link.ExpiresAt:u}; ask for a new one.", "linkCode");
            return null;
        }
        if (read.NetworkRecord.Count == 0) return null; // a new network patient
        return read.NetworkRecord.Any(r => r.Live && Matches(r, keys, sex)) ? null : Refused("identity-mismatch",
            $"The name, date of birth and sex do not match the network record of patient {patientId}, so the registration was not " +
            "linked. Register the person as a new patient, or link with a code from a clinic that knows them.", "patientId");
    }

    private static bool Matches(RegistrationIndex r, IdentityKeys keys, Sex sex) =>
        r.BirthDate == keys.BirthDate && r.FullName == keys.FullName && (r.Sex == sex || r.Sex == Sex.Unknown || sex == Sex.Unknown);

    private static DomainError Refused(string rule, string message, string field) =>
        new(ErrorKind.Conflict, rule, message, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Every clinic's registration index of the patient: the network record a link is checked against.</summary>
    public static async Task<IReadOnlyList<RegistrationIndex>> RecordOf(IQuerySession session, Guid patientId, CancellationToken ct) =>
        await session.Query<RegistrationIndex>().Where(r => r.AnyTenant() && r.PatientId == patientId).ToListAsync(ct);
}

/// <summary>At erasure, the registrations' blind indexes in the erasure's scope are cleared (the tombstones stay).</summary>
public sealed class RegistrationIndexErasure : IPersonalIndex
{
    public async Task Erase(IDocumentSession session, Contracts.Sharing.V1.PatientErased erasure, CancellationToken ct)
    {
        var clinic = erasure.ErasedClinic;
        var indexes = await session.Query<RegistrationIndex>()
            .Where(r => r.AnyTenant() && r.PatientId == erasure.PatientId && !r.Erased).ToListAsync(ct);
        foreach (var index in indexes.Where(r => clinic is null || r.ClinicId == clinic))
            session.ForTenant(index.ClinicId).Store(index.Erase());
    }
}
