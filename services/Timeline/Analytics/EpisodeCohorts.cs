using System.Data.Common;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// One treatment episode as the outcome statistics read it: the episode's outcome without the per-fact observations and
/// contacts it was folded from (its stay is kept as <see cref="StayParts"/> instead), and whose it is. One row per episode of
/// <see cref="EpisodeCohorts.Table"/>, written with the patient's <see cref="PatientOutcomes"/>, so a statistic over 100,000
/// patients filters episodes in the database and reads a few dozen bytes of each, never a patient's whole outcome document.
/// </summary>
public sealed record EpisodeCohort
{
    /// <summary>The episode id.</summary>
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicId { get; init; } = "";
    public string? Medication { get; init; }
    public string? InductionMedication { get; init; }
    public DateTimeOffset? FirstDoseAt { get; init; }
    /// <summary>The day detox started (cohorts are filtered by it).</summary>
    public DateOnly? DetoxStartedOn { get; init; }
    public DateOnly? CompletedOn { get; init; }
    public DateOnly? DroppedOutOn { get; init; }
    public DateOnly? RelapsedOn { get; init; }
    public DateOnly? ReturnedOn { get; init; }
    public DateOnly LastObservedOn { get; init; }
    public StayParts? Stay { get; init; }
    public IReadOnlyList<CowsScore> Cows { get; init; } = [];
    public IReadOnlyList<ScreenResult> Screens { get; init; } = [];

    public static EpisodeCohort Of(EpisodeOutcome episode) => new()
    {
        Id = episode.EpisodeId, PatientId = episode.PatientId, ClinicId = episode.ClinicId, Medication = episode.Medication,
        InductionMedication = episode.InductionMedication, FirstDoseAt = episode.FirstDoseAt, DetoxStartedOn = episode.DetoxStartedOn,
        CompletedOn = episode.CompletedOn, DroppedOutOn = episode.DroppedOutOn, RelapsedOn = episode.RelapsedOn, ReturnedOn = episode.ReturnedOn,
        LastObservedOn = episode.LastObservedOn, Stay = OutcomeStatistics.PartsOf(episode), Cows = episode.Cows, Screens = episode.Screens,
    };

    /// <summary>The episode again, as far as the statistics read it (no observations, no contacts: the stay is <see cref="Stay"/>).</summary>
    public EpisodeOutcome ToEpisode() => new()
    {
        EpisodeId = Id, PatientId = PatientId, ClinicId = ClinicId, Medication = Medication, InductionMedication = InductionMedication,
        FirstDoseAt = FirstDoseAt, CompletedOn = CompletedOn, DroppedOutOn = DroppedOutOn, RelapsedOn = RelapsedOn, ReturnedOn = ReturnedOn,
        LastObservedOn = LastObservedOn, Cows = Cows, Screens = Screens,
    };
}

/// <summary>What of each episode a statistic reads: the lists are most of an episode's size, so each is read only where needed.</summary>
[Flags]
public enum CohortParts
{
    Dates = 0,
    Cows = 1,
    Screens = 2,
    /// <summary>Only the episodes that completed detox (what the relapse definitions judge).</summary>
    Completed = 4,
}

/// <summary>
/// The episode cohorts: a table of plain columns beside the patient outcomes (no JSON: a statistic over the network reads a
/// few columns of 100,000 rows, and PostgreSQL neither parses nor rebuilds a document per row). The COWS scores and the
/// screens are arrays in the row, read only by the statistics that need them.
/// </summary>
public static class EpisodeCohorts
{
    public const string Table = "episode_cohort";

    /// <summary>The columns in the order <see cref="Store"/>, the seed's copy and <see cref="Read"/> use them.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> Columns =
    [
        ("id", "uuid"), ("patient_id", "uuid"), ("clinic_id", "text"), ("medication", "text"), ("induction_medication", "text"),
        ("first_dose_at", "timestamp with time zone"), ("detox_started_on", "date"), ("completed_on", "date"), ("dropped_out_on", "date"),
        ("relapsed_on", "date"), ("returned_on", "date"), ("last_observed_on", "date"),
        ("stay_start", "date"), ("stay_days", "integer"), ("stay_last_contact", "date"), ("stay_ended", "boolean"),
        ("cows_scored_at", "timestamp with time zone[]"), ("cows_totals", "integer[]"),
        ("screens_collected_on", "date[]"), ("screens_positive", "boolean[]"), ("screens_not_collected", "boolean[]"),
        ("screens_packed", "bytea"),
    ];

    private const int DateColumns = 16; // id .. stay_ended: what every statistic reads

    /// <summary>The table (primary key the episode; an index by patient, for a patient's rows and the use patterns' episode order).</summary>
    public static void Configure(StoreOptions store)
    {
        var table = new Weasel.Postgresql.Tables.Table(new PostgresqlObjectName(store.DatabaseSchemaName, Table, SchemaUtils.IdentifierUsage.General));
        foreach (var (name, type) in Columns)
        {
            var column = table.AddColumn(name, type);
            if (name == "id") column.AsPrimaryKey();
        }
        table.Indexes.Add(new IndexDefinition($"{Table}_by_patient") { Columns = ["patient_id"] });
        store.Storage.ExtendedSchemaObjects.Add(table);
    }

    private static string Qualified(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{Table}";

    /// <summary>
    /// The patient's episodes as cohort rows, queued with the patient's outcomes (same transaction): each episode upserted
    /// (the same values again change nothing), and the rows of episodes the outcomes no longer hold (a registration unlinked
    /// from the patient took them) deleted.
    /// </summary>
    public static void Store(IDocumentOperations operations, PatientOutcomes outcomes)
    {
        var table = Qualified(operations);
        operations.QueueSqlCommand($"delete from {table} where patient_id = ? and id <> all(?)",
            outcomes.Id, outcomes.Episodes.Select(e => e.EpisodeId).ToArray());
        foreach (var cohort in outcomes.Episodes.Select(EpisodeCohort.Of))
            operations.QueueSqlCommand($"insert into {table} {Upsert}", Values(cohort).Select(v => v ?? DBNull.Value).ToArray());
    }

    /// <summary>The upsert after "insert into &lt;table&gt;": the same for every row, so built once rather than with every outcomes write.</summary>
    private static readonly string Upsert =
        $"({string.Join(", ", Columns.Select(c => c.Name))}) values ({string.Join(", ", Columns.Select(c => $"?::{c.Type}"))}) " +
        $"on conflict (id) do update set {string.Join(", ", Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";

    /// <summary>A cohort's values in the order of <see cref="Columns"/> (times in UTC, as timestamptz takes them).</summary>
    public static object?[] Values(EpisodeCohort c) =>
    [
        c.Id, c.PatientId, c.ClinicId, c.Medication, c.InductionMedication, c.FirstDoseAt?.ToUniversalTime(), c.DetoxStartedOn,
        c.CompletedOn, c.DroppedOutOn, c.RelapsedOn, c.ReturnedOn, c.LastObservedOn,
        c.Stay?.Start, c.Stay?.Days, c.Stay?.LastContact, c.Stay?.Ended,
        c.Cows.Select(s => s.ScoredAt.ToUniversalTime()).ToArray(), c.Cows.Select(s => s.Total).ToArray(),
        c.Screens.Select(s => s.CollectedOn).ToArray(), c.Screens.Select(s => s.NonPrescribedOpioidPositive).ToArray(),
        c.Screens.Select(s => s.NotCollected).ToArray(), Pack(c.Screens),
    ];

    /// <summary>
    /// The screens once more, packed for the network-wide folds (<see cref="CohortAggregates.DefinitionTimes"/>,
    /// <see cref="CohortAggregates.ScreenPositivity"/>): four bytes a
    /// screen, in order, a big-endian integer <c>day &lt;&lt; 2 | positive &lt;&lt; 1 | not collected</c> with day the
    /// <see cref="DateOnly.DayNumber"/>. Three arrays of 100,000 rows were 22 MB on the wire and most of a fold's time; this is 4 MB,
    /// read into one buffer.
    /// </summary>
    public static byte[] Pack(IReadOnlyList<ScreenResult> screens)
    {
        var packed = new byte[4 * screens.Count];
        for (var i = 0; i < screens.Count; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packed.AsSpan(4 * i),
                screens[i].CollectedOn.DayNumber << 2 | (screens[i].NonPrescribedOpioidPositive ? 2 : 0) | (screens[i].NotCollected ? 1 : 0));
        return packed;
    }

    /// <summary>Screen <paramref name="i"/> of a packed row (see <see cref="Pack"/>).</summary>
    public static (int Day, bool Positive, bool NotCollected) Unpack(ReadOnlySpan<byte> packed, int i)
    {
        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(packed[(4 * i)..]);
        return (value >> 2, (value & 2) != 0, (value & 1) != 0);
    }

    /// <summary>
    /// <see cref="Pack"/> in SQL, from a row's three screen arrays: what a row written before the packed column gets
    /// (<see cref="FillPacked"/>), and what a fold reads of a row still without it. Parenthesised: PostgreSQL gives
    /// &lt;&lt; and | the same precedence, left to right.
    /// </summary>
    internal const string PackedFromArrays =
        "(select coalesce(string_agg(int4send(((d - date '0001-01-01') << 2) | (p::int << 1) | nc::int), ''::bytea order by n), ''::bytea) " +
        "from unnest(screens_collected_on, screens_positive, screens_not_collected) with ordinality s(d, p, nc, n))";

    /// <summary>
    /// The episodes the filter may select (clinic and detox start in the database; <see cref="CohortFilter.Select"/> still decides,
    /// the medication included), with only the parts the statistic needs.
    /// </summary>
    public static async Task<IReadOnlyList<EpisodeCohort>> Read(IQuerySession session, CohortFilter filter, CohortParts parts, CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = string.Join(" and ", Conditions(command, filter).Prepend("detox_started_on is not null")
            .Concat((parts & CohortParts.Completed) != 0 ? ["completed_on is not null"] : Array.Empty<string>()));
        command.CommandText = $"select {Selected(parts)} from {Qualified(session)} where {where}";
        return await ReadAll(session, command, parts, ct);
    }

    /// <summary>
    /// Every started episode of each patient with an episode the filter may select (the use patterns number a patient's
    /// episodes among all of them), with the screens.
    /// </summary>
    public static async Task<IReadOnlyList<EpisodeCohort>> ReadPatients(IQuerySession session, CohortFilter filter, CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var table = Qualified(session);
        var conditions = Conditions(command, filter);
        command.CommandText = $"select {Selected(CohortParts.Screens)} from {table} where detox_started_on is not null" +
                              (conditions.Count == 0 ? ""
                                  : $" and patient_id in (select patient_id from {table} where detox_started_on is not null and {string.Join(" and ", conditions)})");
        return await ReadAll(session, command, CohortParts.Screens, ct);
    }

    /// <summary>
    /// The filter's conditions on the cohort rows, their values as parameters of the command; the medication only where the
    /// statistic says which column expression is its medication (otherwise <see cref="CohortFilter.Select"/> decides it).
    /// </summary>
    internal static List<string> Conditions(NpgsqlCommand command, CohortFilter filter, string? medication = null)
    {
        var where = new List<string>();
        if (filter.ClinicId is { } clinic) where.Add($"clinic_id = {Parameter(command, clinic)}");
        if (filter.From is { } from) where.Add($"detox_started_on >= {Parameter(command, from)}");
        if (filter.To is { } to) where.Add($"detox_started_on <= {Parameter(command, to)}");
        if (medication is not null && filter.Medication is { } chosen) where.Add($"{medication} = {Parameter(command, chosen)}");
        return where;
    }

    /// <summary>A positional parameter ($n) of the command with this value.</summary>
    internal static string Parameter(NpgsqlCommand command, object value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return $"${command.Parameters.Count}";
    }

    private static string Selected(CohortParts parts) =>
        string.Join(", ", Columns.Take(DateColumns).Select(c => c.Name)
            .Concat((parts & CohortParts.Cows) != 0 ? new[] { "cows_scored_at", "cows_totals" } : ["null", "null"])
            .Concat((parts & CohortParts.Screens) != 0 ? new[] { "screens_collected_on", "screens_positive", "screens_not_collected" } : ["null", "null", "null"]));

    private static async Task<IReadOnlyList<EpisodeCohort>> ReadAll(IQuerySession session, NpgsqlCommand command, CohortParts parts, CancellationToken ct)
    {
        var cohorts = new List<EpisodeCohort>();
        await using (command)
        await using (var reader = await session.ExecuteReaderAsync(command, ct))
        {
            while (await reader.ReadAsync(ct)) cohorts.Add(Row(reader, parts));
        }
        return cohorts;
    }

    private static EpisodeCohort Row(DbDataReader row, CohortParts parts)
    {
        T? Maybe<T>(int i) where T : struct => row.IsDBNull(i) ? null : row.GetFieldValue<T>(i);
        string? Text(int i) => row.IsDBNull(i) ? null : row.GetString(i);
        var stayStart = Maybe<DateOnly>(12);
        IReadOnlyList<CowsScore> cows = [];
        if ((parts & CohortParts.Cows) != 0)
        {
            var at = row.GetFieldValue<DateTimeOffset[]>(16);
            var totals = row.GetFieldValue<int[]>(17);
            cows = at.Select((a, i) => new CowsScore(a, totals[i])).ToList();
        }
        IReadOnlyList<ScreenResult> screens = [];
        if ((parts & CohortParts.Screens) != 0)
        {
            var on = row.GetFieldValue<DateOnly[]>(18);
            var positive = row.GetFieldValue<bool[]>(19);
            var notCollected = row.GetFieldValue<bool[]>(20);
            screens = on.Select((d, i) => new ScreenResult(d, positive[i], notCollected[i])).ToList();
        }
        return new EpisodeCohort
        {
            Id = row.GetGuid(0), PatientId = row.GetGuid(1), ClinicId = row.GetString(2), Medication = Text(3), InductionMedication = Text(4),
            FirstDoseAt = Maybe<DateTimeOffset>(5), DetoxStartedOn = Maybe<DateOnly>(6), CompletedOn = Maybe<DateOnly>(7),
            DroppedOutOn = Maybe<DateOnly>(8), RelapsedOn = Maybe<DateOnly>(9), ReturnedOn = Maybe<DateOnly>(10),
            LastObservedOn = row.GetFieldValue<DateOnly>(11),
            Stay = stayStart is { } start ? new StayParts(start, row.GetInt32(13), row.GetFieldValue<DateOnly>(14), row.GetBoolean(15)) : null,
            Cows = cows, Screens = screens,
        };
    }

    /// <summary>
    /// Writes every patient's cohort rows again from their outcomes, a page at a time: after the outcomes are rebuilt (the
    /// daemon raises no side effects while it rebuilds), and for a store from before the cohorts existed.
    /// </summary>
    public static async Task<long> Refresh(IDocumentStore store, CancellationToken ct)
    {
        var written = 0L;
        var after = Guid.Empty;
        while (true)
        {
            await using var query = store.QuerySession();
            var page = await query.QueryAsync<PatientOutcomes>("where id > ? order by id limit 1000", ct, after);
            if (page.Count == 0) return written;
            await using var session = store.LightweightSession();
            foreach (var outcomes in page) Store(session, outcomes);
            await session.SaveChangesAsync(ct);
            written += page.Sum(p => p.Episodes.Count);
            after = page[^1].Id;
        }
    }

    /// <summary>
    /// A store from before the cohort table kept each episode's cohort as a JSON document (<c>mt_doc_episodecohort</c>): its
    /// rows are copied into the table once, when the table is still empty, in one statement in PostgreSQL (a row the
    /// projection wrote since is newer and stays). Returns the rows copied.
    /// </summary>
    public static async Task<long> FillFromDocuments(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var session = store.QuerySession();
        await using (var check = new NpgsqlCommand(
                         $"select to_regclass('{schema}.mt_doc_episodecohort') is not null and not exists (select 1 from {schema}.{Table})"))
        await using (var reader = await session.ExecuteReaderAsync(check, ct))
        {
            if (!await reader.ReadAsync(ct) || !reader.GetBoolean(0)) return 0;
        }
        // The packed screens follow from the arrays (FillPacked, which the start runs next).
        var columns = string.Join(", ", Columns.Select(c => c.Name).Where(c => c != "screens_packed"));
        await using var fill = new NpgsqlCommand($"""
            insert into {schema}.{Table} ({columns})
            select d.id, (data->>'patientId')::uuid, data->>'clinicId', data->>'medication', data->>'inductionMedication',
                   (data->>'firstDoseAt')::timestamptz, (data->>'detoxStartedOn')::date, (data->>'completedOn')::date,
                   (data->>'droppedOutOn')::date, (data->>'relapsedOn')::date, (data->>'returnedOn')::date, (data->>'lastObservedOn')::date,
                   (data->'stay'->>'start')::date, (data->'stay'->>'days')::integer, (data->'stay'->>'lastContact')::date,
                   (data->'stay'->>'ended')::boolean,
                   array(select (c->>'scoredAt')::timestamptz from jsonb_array_elements(data->'cows') with ordinality x(c, n) order by n),
                   array(select (c->>'total')::integer from jsonb_array_elements(data->'cows') with ordinality x(c, n) order by n),
                   array(select (s->>'collectedOn')::date from jsonb_array_elements(data->'screens') with ordinality x(s, n) order by n),
                   array(select (s->>'nonPrescribedOpioidPositive')::boolean from jsonb_array_elements(data->'screens') with ordinality x(s, n) order by n),
                   array(select (s->>'notCollected')::boolean from jsonb_array_elements(data->'screens') with ordinality x(s, n) order by n)
            from {schema}.mt_doc_episodecohort d
            on conflict (id) do nothing
            """) { CommandTimeout = 600 };
        await using var done = await session.ExecuteReaderAsync(fill, ct);
        await done.CloseAsync();
        return done.RecordsAffected;
    }

    /// <summary>
    /// Rows written before the packed screens existed (the column added by the schema update, null in them) get them from
    /// their arrays, in one statement in PostgreSQL; a row written since has them already. Returns the rows filled.
    /// </summary>
    public static async Task<long> FillPacked(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        await using var fill = new NpgsqlCommand(
            $"update {store.Options.DatabaseSchemaName}.{Table} set screens_packed = {PackedFromArrays} where screens_packed is null") { CommandTimeout = 600 };
        await using var done = await session.ExecuteReaderAsync(fill, ct);
        await done.CloseAsync();
        return done.RecordsAffected;
    }
}

/// <summary>
/// At start, after the schema is applied: fills the cohort table of a store from before it, once (see
/// <see cref="EpisodeCohorts.FillFromDocuments"/>), then the packed screens of rows from before them (<see cref="EpisodeCohorts.FillPacked"/>).
/// </summary>
public sealed class EpisodeCohortFill(IDocumentStore store, ILogger<EpisodeCohortFill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = await EpisodeCohorts.FillFromDocuments(store, cancellationToken);
        if (rows > 0) logger.LogInformation("Filled {Rows} episode cohort rows from the cohort documents in {Seconds:F1} s", rows, clock.Elapsed.TotalSeconds);
        clock.Restart();
        var packed = await EpisodeCohorts.FillPacked(store, cancellationToken);
        if (packed > 0) logger.LogInformation("Packed the screens of {Rows} episode cohort rows in {Seconds:F1} s", packed, clock.Elapsed.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
