using Recovery.BuildingBlocks.Time;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;

namespace Recovery.Assessment.Patients;

public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

public sealed record ContactDetails(string? Phone, string? Email, string? Address);

/// <summary>Who the patient is: sealed with the patient's key as one value, never stored in plaintext.</summary>
public sealed record PersonalData(string GivenName, string FamilyName, DateOnly DateOfBirth, ContactDetails? Contact)
{
    public Sealed SealWith(Sealer seal) => seal(JsonSerializer.Serialize(this, Json));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// A clinic registered a patient under its own record number, linked to the network-wide patient id. Name, date of birth
/// and contact are sealed in <see cref="PersonalData"/>. The birth year stays plain: the published PatientRegistered carries
/// it for age bands, and a year alone does not identify a person.
/// </summary>
public sealed record PatientRegistered(
    Guid RegistrationId,
    Guid PatientId,
    string ClinicRecordNumber,
    Sealed PersonalData,
    int BirthYear,
    Sex Sex,
    DateTimeOffset RegisteredAt);

public sealed record RegisterPatient(
    string ClinicRecordNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    Sex Sex,
    ContactDetails? Contact,
    Guid PatientId,
    DateTimeOffset Now,
    IdentityKeys Keys,
    bool LinksToExisting = false,
    string? LinkCode = null)
{
    public PersonalData PersonalData => new(GivenName, FamilyName, DateOfBirth, Contact);
}

public sealed record RegisterPatientRequest(
    string? ClinicRecordNumber,
    string? GivenName,
    string? FamilyName,
    DateOnly? DateOfBirth,
    string? Sex,
    ContactDetails? Contact,
    Guid? PatientId,
    DateTimeOffset? RegisteredAt = null,
    string? LinkCode = null)
{
    public Validated<RegisterPatient> Validate(ClinicNow now, BlindIndex index)
    {
        var errors = new FieldErrors();
        var recordNumber = errors.RequiredText("clinicRecordNumber", ClinicRecordNumber, 64);
        var given = errors.RequiredText("givenName", GivenName, 200);
        var family = errors.RequiredText("familyName", FamilyName, 200);
        var dob = errors.Required("dateOfBirth", DateOfBirth);
        var today = now.Today;
        if (dob > today) errors.Add("dateOfBirth", "cannot be in the future");
        else if (dob < today.AddYears(-120)) errors.Add("dateOfBirth", "is more than 120 years ago");
        var sex = errors.OneOf<Sex>("sex", Sex);
        if (Contact is { } c)
        {
            if (c.Phone?.Length > 40) errors.Add("contact.phone", "must be at most 40 characters");
            if (c.Email?.Length > 254) errors.Add("contact.email", "must be at most 254 characters");
            if (c.Address?.Length > 500) errors.Add("contact.address", "must be at most 500 characters");
        }
        if (PatientId == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        var linkCode = LinkCode is null ? null : errors.RequiredText("linkCode", LinkCode, 32);
        if (linkCode is not null && PatientId is null) errors.Add("patientId", "is required with a link code: the code is checked against the patient it was issued for");
        // A registration entered late (from paper) keeps when the clinic took the patient in.
        var registeredAt = errors.NotInFuture("registeredAt", RegisteredAt, now);
        if (errors.Any) return errors.ToError();
        return new RegisterPatient(recordNumber!, given!, family!, dob!.Value, sex, Contact, PatientId ?? Guid.CreateVersion7(), registeredAt,
            IdentityKeys.Of(index, given!, family!, dob.Value), PatientId is not null, linkCode);
    }
}

/// <summary>The clinic's registration of a patient, as stored: the personal data sealed.</summary>
public sealed record RegisteredPatient
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicRecordNumber { get; init; } = "";
    public Sealed? PersonalData { get; init; }
    public int BirthYear { get; init; }
    public Sex Sex { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Marked entered in error (a wrong link): it registers nobody, and the record number can be registered again.</summary>
    public bool EnteredInError { get; init; }

    public static RegisteredPatient From(PatientRegistered e) => new()
    {
        Id = e.RegistrationId, PatientId = e.PatientId, ClinicRecordNumber = e.ClinicRecordNumber, PersonalData = e.PersonalData,
        BirthYear = e.BirthYear, Sex = e.Sex, RegisteredAt = e.RegisteredAt,
    };
}

/// <summary>
/// A registration as the API shows it. Once the patient's personal data is erased, name, date of birth and contact are
/// null and <see cref="PersonalDataErased"/> says why.
/// </summary>
public sealed record RegistrationView(
    Guid Id,
    Guid PatientId,
    string ClinicRecordNumber,
    string? GivenName,
    string? FamilyName,
    DateOnly? DateOfBirth,
    int BirthYear,
    Sex Sex,
    ContactDetails? Contact,
    DateTimeOffset RegisteredAt,
    bool PersonalDataErased)
{
    public static RegistrationView Of(RegisteredPatient r, PersonalDataReader reader)
    {
        var personal = reader.Open<PersonalData>(r.PersonalData);
        return Of(r, personal, reader.Erased);
    }

    public static RegistrationView Of(RegisteredPatient r, PersonalData? personal, bool erased) => new(r.Id, r.PatientId,
        r.ClinicRecordNumber, personal?.GivenName, personal?.FamilyName, personal?.DateOfBirth, r.BirthYear, r.Sex, personal?.Contact,
        r.RegisteredAt, erased);

    public static async Task<RegistrationView> Open(RegisteredPatient r, PersonalDataVault vault, string clinicId, CancellationToken ct) =>
        Of(r, await vault.ReaderFor(clinicId, r.PatientId, ct));
}

public sealed class RegisteredPatientProjection : SingleStreamProjection<RegisteredPatient, Guid>
{
    public RegisteredPatientProjection()
    {
        IncludeType<PatientRegistered>();
        IncludeType<RegistrationEnteredInError>();
    }

    public override RegisteredPatient Evolve(RegisteredPatient? snapshot, Guid id, IEvent e) =>
        PatientRegistration.Evolve(snapshot, e.Data);
}

public static class PatientRegistration
{
    /// <summary>
    /// A clinic's record number identifies one live registration stream, so the same number twice collides in the event
    /// store itself, even when two requests race. A registration marked entered in error keeps its stream; the number's next
    /// registration is the next in line (<paramref name="reRegistration"/> 1, 2, ...), derived the same way, so two
    /// re-registrations racing collide too. The first keeps the id it always had.
    /// </summary>
    public static Guid RegistrationIdOf(string clinicId, string clinicRecordNumber, int reRegistration = 0)
    {
        var name = reRegistration == 0 ? $"registration\n{clinicId}\n{clinicRecordNumber}" : $"registration\n{clinicId}\n{clinicRecordNumber}\n{reRegistration}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // RFC 4122 name-based layout
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// A new registration, linked to the network patient it names only when <see cref="NetworkIdentity.CheckLink"/> lets it;
    /// its blind indexes are stored with it, and a link code it used is spent.
    /// </summary>
    /// <param name="seal">Seals the patient's personal data with their key.</param>
    /// <param name="now">The instant of the request (a link code's expiry is against it, not the registration's own time).</param>
    public static Decision Decide(RegistrationRead read, Guid registrationId, RegisterPatient command, Sealer seal, string clinicId, DateTimeOffset now)
    {
        if (read.Existing is { } existing) return AlreadyRegistered(existing);
        if (NetworkIdentity.CheckLink(read, command.PatientId, command.Keys, command.Sex, command.LinkCode, now) is { } refused) return refused;
        var decision = Decision.Accept(new PatientRegistered(registrationId, command.PatientId, command.ClinicRecordNumber,
                command.PersonalData.SealWith(seal), command.DateOfBirth.Year, command.Sex, command.Now))
            .Storing(new RegistrationIndex
            {
                Id = registrationId, PatientId = command.PatientId, ClinicId = clinicId, ClinicRecordNumber = command.ClinicRecordNumber, Sex = command.Sex,
                FullName = command.Keys.FullName, FamilyName = command.Keys.FamilyName, GivenName = command.Keys.GivenName,
                BirthDate = command.Keys.BirthDate,
            });
        return command.LinkCode is not null ? decision.Storing(read.Code! with { UsedAt = now, UsedBy = clinicId }) : decision;
    }

    public static RegisteredPatient Evolve(RegisteredPatient? state, object e) => e switch
    {
        PatientRegistered registered => RegisteredPatient.From(registered),
        RegistrationEnteredInError => state! with { EnteredInError = true },
        _ => state!,
    };

    public static DomainError NotFound(Guid registrationId) =>
        DomainError.NotFound("registration-not-found", $"No registration {registrationId} at this clinic.");

    /// <summary>
    /// The record number's live registration, if any, else the id its new registration takes (past the ones entered in
    /// error); and, for a link to an existing patient, the network record and the link code.
    /// </summary>
    public static async Task<RegistrationRead> Read(RegisterPatient command, CommandContext context)
    {
        var (existing, registrationId) = await LiveRegistrationOf(context, command.ClinicRecordNumber);
        if (existing is not null || !command.LinksToExisting) return new RegistrationRead(existing, [], null, registrationId);
        var record = await NetworkIdentity.RecordOf(context.Session, command.PatientId, context.Cancellation);
        var code = command.LinkCode is { } typed ? await context.Session.LoadAsync<LinkCode>(LinkCode.IdOf(typed), context.Cancellation) : null;
        return new RegistrationRead(null, record, code, registrationId);
    }

    private static async Task<(RegisteredPatient? Live, Guid Next)> LiveRegistrationOf(CommandContext context, string recordNumber)
    {
        for (var n = 0; ; n++)
        {
            var id = RegistrationIdOf(context.ClinicId, recordNumber, n);
            var registration = await context.Session.LoadAsync<RegisteredPatient>(id, context.Cancellation);
            if (registration is null) return (null, id);
            if (!registration.EnteredInError) return (registration, id);
        }
    }

    /// <summary>
    /// Lost a race: with a request for the same record number, or with another clinic spending the same link code. The
    /// refusal it would have had coming second.
    /// </summary>
    public static async Task<DomainError> Winner(RegisterPatient command, CommandContext context)
    {
        var read = await Read(command, context);
        if (read.Existing is { } existing) return AlreadyRegistered(existing);
        return NetworkIdentity.CheckLink(read, command.PatientId, command.Keys, command.Sex, command.LinkCode, context.Now.Instant) ??
            DomainError.Conflict("concurrent-change", "The registration was changed by another request at the same time; retry.");
    }

    public static DomainError AlreadyRegistered(RegisteredPatient existing) => DomainError.Conflict(
        "clinic-record-number-taken",
        $"Clinic record number {existing.ClinicRecordNumber} is already registered to patient {existing.PatientId}.",
        new Dictionary<string, object?> { ["patientId"] = existing.PatientId, ["clinicRecordNumber"] = existing.ClinicRecordNumber });
}
