using Marten;
using Microsoft.Extensions.Options;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>A clinic finds its own patients and gives one a link code to carry to another clinic.</summary>
public static class PatientLookup
{
    private const int Limit = 50;

    /// <summary>
    /// The clinic's registrations matching every criterion given: record number, a name (family or given, compared
    /// normalised), date of birth. Matched on the blind indexes; only the matches are opened.
    /// </summary>
    internal static async Task<IResult> Find(string? recordNumber, string? name, DateOnly? birthDate, IQuerySession session,
        BlindIndex index, PersonalDataVault vault, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(recordNumber) && string.IsNullOrWhiteSpace(name) && birthDate is null)
            return Problems.From(DomainError.Invalid("recordNumber", "search-criteria-required",
                "Give at least one of recordNumber, name or birthDate."));
        if (name is not null && BlindIndex.NormalisedName(name).Length == 0)
            return Problems.From(DomainError.Invalid("name", "request-invalid", "name must contain a letter or digit."));

        var query = session.Query<RegistrationIndex>().Where(r => !r.Erased && !r.Unlinked);
        if (!string.IsNullOrWhiteSpace(recordNumber)) query = query.Where(r => r.ClinicRecordNumber == recordNumber.Trim());
        if (!string.IsNullOrWhiteSpace(name))
        {
            var (family, given) = (index.OfName("family-name", name), index.OfName("given-name", name));
            query = query.Where(r => r.FamilyName == family || r.GivenName == given);
        }
        if (birthDate is { } date)
        {
            var born = index.OfDate("birth-date", date);
            query = query.Where(r => r.BirthDate == born);
        }
        var found = await query.OrderBy(r => r.ClinicRecordNumber).Take(Limit).ToListAsync(ct);
        var registrations = await session.LoadManyAsync<RegisteredPatient>(ct, found.Select(r => r.Id));
        var views = new List<RegistrationView>(registrations.Count);
        foreach (var registration in registrations.OrderBy(r => r.ClinicRecordNumber))
            views.Add(await RegistrationView.Open(registration, vault, session.TenantId, ct));
        return Results.Ok(new { patients = views, limit = Limit });
    }

    public sealed record LinkCodeIssued(string Code, Guid PatientId, DateTimeOffset ExpiresAt);

    /// <summary>
    /// A link code for one of the clinic's patients, shown once: only its hash is kept. The patient carries it (with their
    /// network patient id) to the clinic they go to, which registers them with it.
    /// </summary>
    internal static async Task<IResult> IssueLinkCode(Guid patientId, HttpContext http, IDocumentStore store, TimeProvider time,
        IOptions<IdentitySettings> settings, CancellationToken ct)
    {
        var clinic = Clinic.Of(http)!;
        await using var session = RecordingSession.Open(store, clinic, CommandContext.RecorderOf(http));
        if (!await session.Query<RegistrationIndex>().AnyAsync(r => r.PatientId == patientId && !r.Unlinked, ct))
            return Problems.From(DomainError.NotFound("patient-not-registered", $"Patient {patientId} is not registered at this clinic."));
        var now = time.GetUtcNow();
        var code = LinkCode.NewCode();
        var issued = new LinkCode
        {
            Id = LinkCode.IdOf(code), PatientId = patientId, IssuedBy = clinic, IssuedByUser = Access.UserOf(http),
            IssuedAt = now, ExpiresAt = now.AddHours(settings.Value.LinkCodeHours),
        };
        session.Store(issued);
        await session.SaveChangesAsync(ct);
        return Results.Created($"/patients/{patientId}", new LinkCodeIssued(code, patientId, issued.ExpiresAt));
    }
}
