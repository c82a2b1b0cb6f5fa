using System.Globalization;
using System.Text;
using System.Text.Json;
using Marten;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>
/// Where a page of the timeline ends: the last entry's clinical time, recorded time and event id (the store's order). Opaque
/// to clients: they pass back what the previous page gave them.
/// </summary>
public sealed record TimelineCursor(DateTimeOffset ClinicalAt, DateTimeOffset RecordedAt, Guid EventId)
{
    public static TimelineCursor After(StoredEntry last) => new(last.ClinicalAt, last.RecordedAt, last.Id);

    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{ClinicalAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{RecordedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{EventId:N}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The cursor, or null when the text is not one this service gave out.</summary>
    public static TimelineCursor? Decode(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).Split('.');
            if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var clinical) ||
                !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var recorded) ||
                !Guid.TryParseExact(parts[2], "N", out var eventId))
                return null;
            return new TimelineCursor(new DateTimeOffset(clinical, TimeSpan.Zero), new DateTimeOffset(recorded, TimeSpan.Zero), eventId);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException) { return null; }
    }
}

/// <summary>A page of the timeline, newest first: at most <see cref="PageSize"/> entries after a cursor, within a clinical-time range.</summary>
public sealed record TimelinePageRequest(int PageSize, TimelineCursor? After, DateTimeOffset? From, DateTimeOffset? To)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>The page asked for, none when no paging parameter was given (the whole timeline), or the parameters' errors.</summary>
    public static (TimelinePageRequest? Page, DomainError? Error) Parse(string? pageSize, string? cursor, string? from, string? to)
    {
        if (pageSize is null && cursor is null && from is null && to is null) return (null, null);
        var errors = new FieldErrors();
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            errors.Add("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        TimelineCursor? after = null;
        if (cursor is not null && (after = TimelineCursor.Decode(cursor)) is null)
            errors.Add("cursor", "is not a cursor this timeline gave out (pass back a page's nextCursor unchanged)");
        var start = Instant("from", from, errors);
        var end = Instant("to", to, errors);
        if (start > end) errors.Add("from", "must not be after to");
        return errors.Any ? (null, errors.ToError()) : (new TimelinePageRequest(size, after, start, end), null);
    }

    private static DateTimeOffset? Instant(string field, string? text, FieldErrors errors)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.ToUniversalTime();
        errors.Add(field, "must be a date or an ISO 8601 date and time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z)");
        return null;
    }
}

/// <summary>An episode of the visible timeline as the store sums it up: for numbering and labelling the episodes of a page.</summary>
public sealed record EpisodeSummary(
    Guid? EpisodeId, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt, string[] Clinics, string[] Services, string? Medication, int Entries);

/// <summary>The timeline's stored entries, read by patient and clinic, whole or a page at a time.</summary>
public static class TimelineStore
{
    private const string Order = "clinical_at, recorded_at, id";

    /// <summary>The clinics that recorded anything about the patient.</summary>
    public static async Task<IReadOnlyList<string>> ClinicsOf(IQuerySession session, Guid patientId, CancellationToken ct) =>
        await session.AdvancedSql.QueryAsync<string>($"select distinct clinic_id from {Table(session)} where patient_id = ?", ct, patientId);

    /// <summary>Whether the clinic recorded anything about the patient (it treats or treated them).</summary>
    public static Task<bool> Treats(IQuerySession session, string clinic, Guid patientId, CancellationToken ct) =>
        session.Query<StoredEntry>().AnyAsync(e => e.PatientId == patientId && e.ClinicId == clinic, ct);

    /// <summary>The patient's entries from these clinics, in the timeline's order.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> All(IQuerySession session, Guid patientId, IReadOnlyList<string> clinics, CancellationToken ct) =>
        (await session.QueryAsync<StoredEntry>($"where patient_id = ? and clinic_id = any(?) order by {Order}", ct, patientId, clinics.ToArray()))
        .Select(e => e.Entry).ToList();

    /// <summary>A page of the patient's entries from these clinics, newest first, and the cursor after it (null on the last page).</summary>
    public static async Task<(IReadOnlyList<TimelineEntry> Entries, TimelineCursor? Next)> Page(IQuerySession session, Guid patientId,
        IReadOnlyList<string> clinics, TimelinePageRequest page, CancellationToken ct)
    {
        var sql = new StringBuilder("where patient_id = ? and clinic_id = any(?)");
        var parameters = new List<object> { patientId, clinics.ToArray() };
        if (page.From is { } from) { sql.Append(" and clinical_at >= ?"); parameters.Add(from); }
        if (page.To is { } to) { sql.Append(" and clinical_at <= ?"); parameters.Add(to); }
        if (page.After is { } after)
        {
            sql.Append(" and (clinical_at, recorded_at, id) < (?, ?, ?)");
            parameters.AddRange([after.ClinicalAt, after.RecordedAt, after.EventId]);
        }
        // One more than the page: whether a next page exists, without counting.
        sql.Append(" order by clinical_at desc, recorded_at desc, id desc limit ?");
        parameters.Add(page.PageSize + 1);
        var rows = await session.QueryAsync<StoredEntry>(sql.ToString(), ct, parameters.ToArray());
        var shown = rows.Take(page.PageSize).ToList();
        return (shown.Select(e => e.Entry).ToList(), rows.Count > page.PageSize ? TimelineCursor.After(shown[^1]) : null);
    }

    /// <summary>Every episode of the patient's entries from these clinics, summed up in the database (no entry is loaded).</summary>
    public static async Task<IReadOnlyList<EpisodeSummary>> Episodes(IQuerySession session, Guid patientId, IReadOnlyList<string> clinics,
        CancellationToken ct)
    {
        var sql = $"""
            select json_build_object(
                'episodeId', episode_id, 'startedAt', min(clinical_at), 'lastActivityAt', max(clinical_at),
                'clinics', array_agg(clinic_id order by {Order}), 'services', array_agg(data->'entry'->>'service' order by {Order}),
                'medication', (array_agg(data->'entry'->>'medication' order by clinical_at desc, recorded_at desc, id desc)
                               filter (where data->'entry'->>'medication' is not null))[1],
                'entries', count(*))
            from {Table(session)} where patient_id = ? and clinic_id = any(?) group by episode_id
            """;
        return (await session.AdvancedSql.QueryAsync<EpisodeSummary>(sql, ct, patientId, clinics.ToArray()))
            .Select(e => e with { Clinics = e.Clinics.Distinct().ToArray(), Services = e.Services.Distinct().ToArray() })
            .ToList();
    }

    private static string Table(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_storedentry";
}

/// <summary>
/// How the entries are stored: columns for what reads filter and order by, and one index, in the timeline's order within
/// a patient (a read of one patient, whole or a page, is one index range; each fact adds one index entry besides its key).
/// </summary>
public static class TimelineStorage
{
    /// <summary>
    /// Which clinics recorded anything about which patients, one row per pair (primary key patient, clinic; an index by clinic):
    /// the de-identified journeys count and page patients here instead of over every entry. Each fact inserts its pair if new
    /// (<see cref="JourneyClinicInsert"/>); entries are never deleted, so a pair never goes.
    /// </summary>
    public const string JourneyClinicTable = "journey_clinic";

    public static string JourneyClinicInsert(string schema) =>
        $"insert into {schema}.{JourneyClinicTable} (patient_id, clinic_id) values (?, ?) on conflict do nothing";

    public static void Configure(StoreOptions store)
    {
        var pairs = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(store.DatabaseSchemaName, JourneyClinicTable, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        pairs.AddColumn<Guid>("patient_id").AsPrimaryKey();
        pairs.AddColumn<string>("clinic_id").AsPrimaryKey();
        pairs.Indexes.Add(new Weasel.Postgresql.Tables.IndexDefinition($"{JourneyClinicTable}_by_clinic") { Columns = ["clinic_id", "patient_id"] });
        store.Storage.ExtendedSchemaObjects.Add(pairs);
        store.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(StoredEntry)) return;
            // Columns without an index each (five index writes per fact); one composite index serves every read.
            foreach (var member in new[] { nameof(StoredEntry.PatientId), nameof(StoredEntry.ClinicId), nameof(StoredEntry.EpisodeId),
                         nameof(StoredEntry.ClinicalAt), nameof(StoredEntry.RecordedAt) })
                mapping.DuplicateField([typeof(StoredEntry).GetProperty(member)!]);
            mapping.Indexes.Add(new Marten.Schema.DocumentIndex(mapping, "patient_id", "clinical_at", "recorded_at", "id")
                { Name = "mt_doc_storedentry_patient_order" });
        });
    }
}
