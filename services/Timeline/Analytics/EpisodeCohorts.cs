using Marten;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// One treatment episode as the outcome statistics read it: the episode's outcome without the per-fact observations and
/// contacts it was folded from (its stay is kept as <see cref="StayParts"/> instead), and whose it is. One small document per
/// episode, written with the patient's <see cref="PatientOutcomes"/>, so a statistic over 100,000 patients filters episodes
/// in the database and reads a few hundred bytes of each, never a patient's whole outcome document.
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
    /// <summary>The day detox started (a column: cohorts are filtered by it).</summary>
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
}

/// <summary>The episode cohorts: stored beside the patient outcomes, and read filtered in the database.</summary>
public static class EpisodeCohorts
{
    /// <summary>Columns for what the cohort filter selects by; no index (a statistic reads the whole filtered cohort anyway).</summary>
    public static void Configure(StoreOptions store) =>
        store.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(EpisodeCohort)) return;
            foreach (var member in new[] { nameof(EpisodeCohort.PatientId), nameof(EpisodeCohort.ClinicId), nameof(EpisodeCohort.DetoxStartedOn) })
                mapping.DuplicateField([typeof(EpisodeCohort).GetProperty(member)!]);
        });

    /// <summary>The patient's episodes as cohort documents, to store with the patient's outcomes (same transaction).</summary>
    public static void Store(IDocumentOperations operations, PatientOutcomes outcomes)
    {
        if (outcomes.Episodes.Count > 0) operations.Store(outcomes.Episodes.Select(EpisodeCohort.Of).ToArray());
    }

    /// <summary>
    /// The episodes the filter may select (clinic and detox start in the database; <see cref="CohortFilter.Select"/> still decides,
    /// the medication included), with only the parts the statistic needs.
    /// </summary>
    public static async Task<IReadOnlyList<EpisodeCohort>> Read(IQuerySession session, CohortFilter filter, CohortParts parts, CancellationToken ct)
    {
        var data = "data" + ((parts & CohortParts.Cows) == 0 ? " - 'cows'" : "") + ((parts & CohortParts.Screens) == 0 ? " - 'screens'" : "");
        var where = new List<string> { "detox_started_on is not null" };
        var parameters = new List<object>();
        if (filter.ClinicId is { } clinic) { where.Add("clinic_id = ?"); parameters.Add(clinic); }
        if (filter.From is { } from) { where.Add("detox_started_on >= ?"); parameters.Add(from); }
        if (filter.To is { } to) { where.Add("detox_started_on <= ?"); parameters.Add(to); }
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_episodecohort";
        return await session.AdvancedSql.QueryAsync<EpisodeCohort>(
            $"select {data} from {table} where {string.Join(" and ", where)}", ct, parameters.ToArray());
    }

    /// <summary>
    /// Writes every patient's cohort documents again from their outcomes, a page at a time: after the outcomes are rebuilt
    /// (the daemon raises no side effects while it rebuilds), and for a store from before the cohorts existed.
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
}
