using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Sharing;

/// <summary>Entries of one source clinic that went out under one consent.</summary>
public sealed record DisclosedRecords(string SourceClinic, Guid ConsentId, IReadOnlyList<Guid> EntryIds);

/// <summary>
/// One disclosure: who at which clinic received which of a patient's records, when, for what, under which consent.
/// Written before the records leave, so there is no disclosure without its record.
/// </summary>
public sealed record Disclosure
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string RecipientClinic { get; init; } = "";
    public string User { get; init; } = "";
    public string Role { get; init; } = "";
    public SharingPurpose Purpose { get; init; }

    /// <summary>How the records left: "timeline" or "fhir".</summary>
    public string Channel { get; init; } = "";

    public DateTimeOffset DisclosedAt { get; init; }
    public IReadOnlyList<DisclosedRecords> Records { get; init; } = [];

    /// <summary>The disclosure a read makes, or null when it shows only the caller's own records.</summary>
    public static Disclosure? Of(SharedView view, Guid patientId, string caller, string user, string role, SharingPurpose purpose,
        string channel, DateTimeOffset now)
    {
        var records = view.DisclosedEntries(caller)
            .GroupBy(e => e.ClinicId)
            .Select(g => new DisclosedRecords(g.Key, view.ConsentBySourceClinic[g.Key], g.Select(e => e.EventId).ToList()))
            .ToList();
        return records.Count == 0 ? null : new Disclosure
        {
            Id = Guid.CreateVersion7(now), PatientId = patientId, RecipientClinic = caller, User = user, Role = role, Purpose = purpose,
            Channel = channel, DisclosedAt = now, Records = records,
        };
    }
}

/// <summary>The one way the network record leaves the timeline: filtered by consent, and every disclosure recorded first.</summary>
public static class NetworkRecord
{
    /// <summary>How far back a patient's list of disclosures goes by default (the 2024 rule asks for three years).</summary>
    public static readonly TimeSpan DisclosureHistory = TimeSpan.FromDays(3 * 366);

    /// <summary>
    /// What a read may show: the visible entries (a page of them when one was asked for, with the visible timeline's
    /// <see cref="Episodes"/> and the cursor after the page), the patient's consents, and the disclosure recorded for it.
    /// </summary>
    public sealed record Read(SharedView View, IReadOnlyList<Consent> Consents, Disclosure? Disclosure,
        IReadOnlyList<EpisodeSummary>? Episodes = null, TimelineCursor? Next = null);

    /// <summary>
    /// What the calling clinic may see of the patient for <paramref name="purpose"/>: the whole timeline, or the
    /// <paramref name="page"/> asked for. A patient of whom the caller may see nothing is "not found": even that a person is
    /// treated elsewhere is protected. Only what goes out is disclosed: a page discloses its own entries.
    /// </summary>
    public static async Task<(Read? Read, DomainError? Error)> Open(IDocumentSession session, HttpContext http, Guid patientId,
        string? purpose, string channel, TimeProvider clock, CancellationToken ct, TimelinePageRequest? page = null)
    {
        var errors = new FieldErrors();
        var readPurpose = purpose is null ? SharingPurpose.Treatment : errors.OneOf<SharingPurpose>("purpose", purpose);
        if (errors.Any) return (null, errors.ToError());

        var caller = Clinic.Of(http)!;
        var consents = await session.Query<Consent>().Where(c => c.PatientId == patientId).ToListAsync(ct);
        var clinics = await TimelineStore.ClinicsOf(session, patientId, ct);

        var now = clock.GetUtcNow();
        var consenting = SharingPolicy.Consenting(caller, readPurpose, consents, now);
        var visibleClinics = clinics.Where(c => SharingPolicy.MaySee(c, caller, consenting)).ToList();
        if (visibleClinics.Count == 0)
            return (null, DomainError.NotFound("patient-not-found", $"Clinic {caller} may see no records of patient {patientId}."));

        IReadOnlyList<EpisodeSummary>? episodes = null;
        TimelineCursor? next = null;
        IReadOnlyList<TimelineEntry> entries;
        if (page is null) entries = await TimelineStore.All(session, patientId, visibleClinics, ct);
        else
        {
            episodes = await TimelineStore.Episodes(session, patientId, visibleClinics, ct);
            (entries, next) = await TimelineStore.Page(session, patientId, visibleClinics, page, ct);
        }
        var view = SharingPolicy.Visible(entries, caller, consenting);

        var disclosure = Disclosure.Of(view, patientId, caller, Access.UserOf(http), Access.RoleOf(http) ?? "", readPurpose, channel, now);
        if (disclosure is not null)
        {
            session.Insert(disclosure);
            await session.SaveChangesAsync(ct);
        }
        return (new Read(view, consents, disclosure, episodes, next), null);
    }

    /// <summary>GET /patients/{id}/disclosures: what the network disclosed of the patient, newest first.</summary>
    internal static async Task<IResult> Disclosures(Guid patientId, DateTimeOffset? since, HttpContext http, IQuerySession session,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = Clinic.Of(http)!;
        // The network administrator acts for the patient (their right to an accounting of every disclosure, 45 CFR
        // 164.528 / 42 CFR 2.24): the full list. A clinic that treats the patient sees only its part.
        var forPatient = Access.RoleOf(http) == Roles.NetworkAdmin;
        if (!(forPatient ? await Exists(session, patientId, ct) : await Treats(session, caller, patientId, ct)))
            return Problems.From(NoRecordsAt(caller, patientId));
        var from = since ?? clock.GetUtcNow() - DisclosureHistory;
        // A clinic sees the disclosures of its own records and those made to it (42 CFR 2.13(c)): not other clinics' readers.
        var disclosures = (await session.Query<Disclosure>()
                .Where(d => d.PatientId == patientId && d.DisclosedAt >= from)
                .OrderByDescending(d => d.DisclosedAt)
                .ToListAsync(ct))
            .Where(d => forPatient || d.RecipientClinic == caller || d.Records.Any(r => r.SourceClinic == caller))
            .Select(d => forPatient || d.RecipientClinic == caller ? d : d with { Records = d.Records.Where(r => r.SourceClinic == caller).ToList() })
            .ToList();
        return Results.Ok(new { patientId, since = from, disclosures });
    }

    /// <summary>The refusal when a clinic acts on a patient it has no records of: the same 404 as an unknown patient.</summary>
    public static DomainError NoRecordsAt(string clinic, Guid patientId) =>
        DomainError.NotFound("patient-not-found", $"Clinic {clinic} has no records of patient {patientId}.");

    /// <summary>Whether the clinic has records of its own about the patient (it treats or treated them).</summary>
    public static Task<bool> Treats(IQuerySession session, string clinic, Guid patientId, CancellationToken ct) =>
        TimelineStore.Treats(session, clinic, patientId, ct);

    /// <summary>Whether the network has a record of the patient at all.</summary>
    public static Task<bool> Exists(IQuerySession session, Guid patientId, CancellationToken ct) =>
        session.Query<StoredEntry>().AnyAsync(e => e.PatientId == patientId, ct);
}
