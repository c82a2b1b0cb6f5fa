using Marten;
using Npgsql;
using Recovery.Clinical;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// The network-wide outcome statistics over the episode cohort rows without an episode object per row: retention and relapse
/// survival counted in PostgreSQL (an answer over 100,000 patients moves a few thousand counts; quantiles are
/// <c>percentile_cont</c>, type 7 as <see cref="OutcomeStatistics.Quantile"/> is), the COWS and screen statistics as streaming
/// folds over the rows' arrays. The same figures as <see cref="OutcomeStatistics"/>'s pure functions of the episodes, whose
/// definitions these follow. Rows are put in order here (ordinal), not by the database's collation.
/// </summary>
public static class CohortAggregates
{
    /// <summary>The medication an episode's cohort counts under (<see cref="EpisodeOutcome.CohortMedication"/>).</summary>
    private const string CohortMedication = "coalesce(medication, induction_medication)";

    /// <summary>The medication of the induction: the first dose's, else the cohort's.</summary>
    private const string InductionMedication = "coalesce(induction_medication, medication)";

    /// <summary><see cref="OutcomeStatistics.Retention(IEnumerable{ValueTuple{EpisodeOutcome, TreatmentStay}})"/> over the filtered cohort, counted on <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<Counted<RetentionRow>>> Retention(IQuerySession session, CohortFilter filter, DateOnly asOf,
        CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = Where(command, filter, CohortMedication, "stay_start is not null");
        var today = EpisodeCohorts.Parameter(command, asOf);
        var days = OutcomeStatistics.RetentionDays;
        command.CommandText = $"""
            with stays as (
                select clinic_id, coalesce({CohortMedication}, 'unknown') as medication, to_char(stay_start, 'YYYY-MM') as period,
                       patient_id, stay_days as days, not stay_ended and {today}::date - stay_last_contact <= {OutcomeStatistics.GapDays} as ongoing
                from {Table(session)} where {where})
            select clinic_id, medication, period, count(*)::int, (count(*) filter (where ongoing))::int,
                   {string.Join(", ", days.Select(n => $"(count(*) filter (where days >= {n}))::int, (count(*) filter (where not ongoing and days < {n}))::int"))},
                   (count(*) filter (where not ongoing))::int,
                   percentile_cont(array[0, 0.25, 0.5, 0.75, 1]) within group (order by days) filter (where not ongoing),
                   count(distinct patient_id)::int
            from stays group by clinic_id, medication, period
            """;
        var rows = await Rows(session, command, r =>
        {
            var at = days.Select((_, i) => (Retained: r.GetInt32(5 + 2 * i), Below: r.GetInt32(6 + 2 * i))).ToList();
            var q = r.IsDBNull(12) ? new double?[5] : r.GetFieldValue<double[]>(12).Select(v => (double?)v).ToArray();
            (int, int, double?) Share(int i) => (at[i].Retained + at[i].Below, at[i].Retained, OutcomeStatistics.Share(at[i].Retained, at[i].Retained + at[i].Below));
            var (e30, r30, s30) = Share(0);
            var (e90, r90, s90) = Share(1);
            var (e180, r180, s180) = Share(2);
            return new Counted<RetentionRow>(new RetentionRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4),
                e30, r30, s30, e90, r90, s90, e180, r180, s180, r.GetInt32(11), q[0], q[1], q[2], q[3], q[4]), r.GetInt32(13));
        }, ct);
        return rows.OrderBy(c => c.Row.Clinic, StringComparer.Ordinal).ThenBy(c => c.Row.Medication, StringComparer.Ordinal)
            .ThenBy(c => c.Row.StartPeriod, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// <see cref="OutcomeStatistics.RelapseSurvival(IEnumerable{EpisodeOutcome}, string, Func{EpisodeOutcome, string}, DateOnly)"/> by
    /// medication and by clinic (as <paramref name="by"/> asks): each completed episode's time to relapse or censoring
    /// (<see cref="OutcomeStatistics.TimeToRelapse"/>) counted in PostgreSQL, the curves drawn from the counts.
    /// </summary>
    public static async Task<IReadOnlyList<SurvivalRow>> RelapseSurvival(IQuerySession session, CohortFilter filter, string? by, DateOnly asOf,
        CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = Where(command, filter, CohortMedication, "completed_on is not null");
        var today = EpisodeCohorts.Parameter(command, asOf);
        command.CommandText = $"""
            select coalesce({CohortMedication}, 'unknown'), clinic_id,
                   case when relapsed_on is not null then greatest(0, relapsed_on - completed_on)
                        else greatest(0, least(last_observed_on, returned_on, {today}::date) - completed_on) end,
                   relapsed_on is not null, count(*)::int
            from {Table(session)} where {where} group by 1, 2, 3, 4
            """;
        var counts = await Rows(session, command, r => (Medication: r.GetString(0), Clinic: r.GetString(1), Days: r.GetInt32(2),
            Relapsed: r.GetBoolean(3), Episodes: r.GetInt32(4)), ct);
        IEnumerable<(string, int, bool)> Times(Func<(string Medication, string Clinic, int Days, bool Relapsed, int Episodes), string> group) =>
            counts.SelectMany(c => Enumerable.Repeat((group(c), c.Days, c.Relapsed), c.Episodes));
        return (by is null or "medication" ? OutcomeStatistics.RelapseSurvival(Times(c => c.Medication), "medication") : [])
            .Concat(by is null or "clinic" ? OutcomeStatistics.RelapseSurvival(Times(c => c.Clinic), "clinic") : [])
            .ToList();
    }

    /// <summary>
    /// <see cref="OutcomeStatistics.InductionWithdrawal"/> as a streaming fold over the started episodes' COWS arrays (unnesting
    /// and sorting them in PostgreSQL took longer than reading them): per episode the last score of each whole hour since the
    /// first dose (of scores at the same moment, the first recorded), then quartiles per medication and hour.
    /// </summary>
    public static async Task<IReadOnlyList<InductionWithdrawalRow>> InductionWithdrawal(IQuerySession session, CohortFilter filter, CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = Where(command, filter, InductionMedication, "first_dose_at is not null");
        command.CommandText = $"select coalesce({InductionMedication}, 'unknown'), first_dose_at, cows_scored_at, cows_totals from {Table(session)} where {where}";
        var totals = new Dictionary<(string Medication, int Hour), List<double>>();
        var hours = new Dictionary<int, (DateTimeOffset At, int Total)>();
        await Fold(session, command, r =>
        {
            var medication = r.GetString(0);
            var firstDose = r.GetFieldValue<DateTimeOffset>(1);
            var at = r.GetFieldValue<DateTimeOffset[]>(2);
            var total = r.GetFieldValue<int[]>(3);
            hours.Clear();
            for (var i = 0; i < at.Length; i++)
            {
                var hour = (int)Math.Floor((at[i] - firstDose).TotalHours);
                if (hour < -OutcomeStatistics.InductionHoursBefore || hour >= OutcomeStatistics.InductionHoursAfter) continue;
                if (!hours.TryGetValue(hour, out var last) || at[i] > last.At) hours[hour] = (at[i], total[i]);
            }
            foreach (var (hour, last) in hours)
            {
                if (!totals.TryGetValue((medication, hour), out var list)) totals[(medication, hour)] = list = [];
                list.Add(last.Total);
            }
        }, ct);
        return totals.OrderBy(t => t.Key.Medication, StringComparer.Ordinal).ThenBy(t => t.Key.Hour).Select(t =>
        {
            var sorted = t.Value.Order().ToList();
            return new InductionWithdrawalRow(t.Key.Medication, t.Key.Hour, sorted.Count, OutcomeStatistics.Quantile(sorted, 0.25)!.Value,
                OutcomeStatistics.Quantile(sorted, 0.5)!.Value, OutcomeStatistics.Quantile(sorted, 0.75)!.Value);
        }).ToList();
    }

    /// <summary>
    /// <see cref="OutcomeStatistics.CountedScreenPositivity"/> as a streaming fold over the completed episodes' packed screens:
    /// by medication and week since completion, the collected, positive and uncollected screens and the distinct episodes and patients.
    /// </summary>
    public static async Task<IReadOnlyList<Counted<ScreenPositivityRow>>> ScreenPositivity(IQuerySession session, CohortFilter filter, CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = Where(command, filter, CohortMedication, "completed_on is not null");
        command.CommandText = $"""
            select id, patient_id, coalesce({CohortMedication}, 'unknown'), completed_on, {PackedScreens}
            from {Table(session)} where {where} order by patient_id, id
            """;
        // In patient and episode order, so each week counts an episode or a patient when it differs from the last it counted.
        var weeks = new Dictionary<(string Medication, int Week), ScreenWeek>();
        var packed = new PackedReader();
        await Fold(session, command, r =>
        {
            var (episode, patient, medication) = (r.GetGuid(0), r.GetGuid(1), r.GetString(2));
            var completed = r.GetFieldValue<DateOnly>(3).DayNumber;
            var screens = packed.Read(r, 4);
            for (var i = 0; i < screens.Length / 4; i++)
            {
                var (day, positive, notCollected) = EpisodeCohorts.Unpack(screens, i);
                if (day < completed) continue;
                var key = (medication, (day - completed) / 7);
                if (!weeks.TryGetValue(key, out var week)) weeks[key] = week = new ScreenWeek();
                if (notCollected) week.NotCollected++;
                else
                {
                    week.Collected++;
                    if (positive) week.Positive++;
                }
                if (week.LastEpisode != episode) (week.Episodes, week.LastEpisode) = (week.Episodes + 1, episode);
                if (week.LastPatient != patient) (week.Patients, week.LastPatient) = (week.Patients + 1, patient);
            }
        }, ct);
        return weeks.OrderBy(w => w.Key.Medication, StringComparer.Ordinal).ThenBy(w => w.Key.Week)
            .Select(w => new Counted<ScreenPositivityRow>(new ScreenPositivityRow(w.Key.Medication, w.Key.Week, w.Value.Collected, w.Value.Positive,
                w.Value.NotCollected, OutcomeStatistics.Share(w.Value.Positive, w.Value.Collected), w.Value.Episodes), w.Value.Patients))
            .ToList();
    }

    /// <summary>
    /// <see cref="UsePatterns.Times"/> of the chosen definitions as a streaming fold over the completed episodes' packed screens
    /// (<see cref="EpisodeCohorts.Pack"/>, <see cref="UsePatterns.TimesFold"/>): only the completion, the return and the
    /// packed screens leave the database, each row's read into one buffer.
    /// </summary>
    public static async Task<DefinitionTimes> DefinitionTimes(IQuerySession session, CohortFilter filter, IReadOnlyList<RelapseDefinition> definitions,
        DateOnly asOf, CancellationToken ct)
    {
        var command = new NpgsqlCommand();
        var where = Where(command, filter, CohortMedication, "completed_on is not null");
        command.CommandText = $"select completed_on, returned_on, {PackedScreens} from {Table(session)} where {where}";
        var fold = new UsePatterns.TimesFold(definitions, asOf);
        var packed = new PackedReader();
        await Fold(session, command, r => fold.Add(r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1), packed.Read(r, 2)), ct);
        return fold.Result();
    }

    /// <summary>A row's packed screens; a row from before them (until the start's fill has reached it) packed from its arrays here.</summary>
    private const string PackedScreens = $"coalesce(screens_packed, {EpisodeCohorts.PackedFromArrays})";

    /// <summary>Each row's packed screens read into one buffer, kept from row to row.</summary>
    private sealed class PackedReader
    {
        private byte[] buffer = new byte[1024];

        public ReadOnlySpan<byte> Read(NpgsqlDataReader row, int column)
        {
            var length = (int)row.GetBytes(column, 0, null, 0, 0);
            if (length > buffer.Length) buffer = new byte[Math.Max(length, 2 * buffer.Length)];
            row.GetBytes(column, 0, buffer, 0, length);
            return buffer.AsSpan(0, length);
        }
    }

    private sealed class ScreenWeek
    {
        public int Collected, Positive, NotCollected, Episodes, Patients;
        public Guid? LastEpisode, LastPatient;
    }

    private static async Task Fold(IQuerySession session, NpgsqlCommand command, Action<NpgsqlDataReader> each, CancellationToken ct)
    {
        await using (command)
        await using (var reader = (NpgsqlDataReader)await session.ExecuteReaderAsync(command, ct))
        {
            while (await reader.ReadAsync(ct)) each(reader);
        }
    }

    private static string Table(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{EpisodeCohorts.Table}";

    /// <summary>Episodes whose detox started, as the filter selects them (the medication as the statistic counts it), and what the statistic needs.</summary>
    private static string Where(NpgsqlCommand command, CohortFilter filter, string medication, string needs) =>
        string.Join(" and ", EpisodeCohorts.Conditions(command, filter, medication).Prepend(needs).Prepend("detox_started_on is not null"));

    private static async Task<List<T>> Rows<T>(IQuerySession session, NpgsqlCommand command, Func<Npgsql.NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using (command)
        await using (var reader = (NpgsqlDataReader)await session.ExecuteReaderAsync(command, ct))
        {
            while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        }
        return rows;
    }
}
