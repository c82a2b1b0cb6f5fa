extern alias timeline;
using System.Text.Json;
using JasperFx;
using Marten;
using Recovery.Clinical;
using CowsScore = timeline::Recovery.Timeline.Analytics.CowsScore;
using timeline::Recovery.Timeline.Analytics;
using Weasel.Core;

namespace Recovery.Integration.Tests;

/// <summary>
/// The episode cohort table against the real PostgreSQL: episodes written as the outcomes projection writes them and read back
/// as the analyst endpoints read them give every statistic the figures the pure functions give from the episodes themselves;
/// a store from before the table gets its rows from the cohort documents it kept.
/// </summary>
public class EpisodeCohortStorageTests
{
    private static readonly DateOnly AsOf = new(2026, 9, 30);
    private static readonly string[] Clinics = ["clinic-a", "clinic-b", "clinic-c"];
    private static readonly string?[] Medications = ["methadone", "buprenorphine", "extended-release-naltrexone", null];

    [Fact]
    public async Task Cohort_rows_give_every_statistic_the_figures_of_the_episodes_they_come_from()
    {
        using var store = Store("episode_cohort_rows_test");
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // The table as created is the table as configured: a start does not migrate it again.
        await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
        await Clear(store);
        var patients = Patients(90).Concat(Boundaries()).ToList();
        var episodes = patients.SelectMany(p => p.Episodes).ToList();
        await using (var session = store.LightweightSession())
        {
            foreach (var outcomes in patients) EpisodeCohorts.Store(session, outcomes);
            await session.SaveChangesAsync();
        }
        // Stored again with the same values (a batch replayed): nothing changes.
        await using (var session = store.LightweightSession())
        {
            foreach (var outcomes in patients) EpisodeCohorts.Store(session, outcomes);
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var read = await EpisodeCohorts.Read(query, new CohortFilter(), CohortParts.Cows | CohortParts.Screens, CancellationToken.None);
        var started = new CohortFilter().Select(episodes).ToList();
        Assert.Equal(Json(started.Select(EpisodeCohort.Of)), Json(read));

        var fromRows = read.Select(c => c.ToEpisode()).ToList();
        var stays = read.Where(c => c.Stay is not null).Select(c => (c.ToEpisode(), OutcomeStatistics.Stay(c.Stay!, AsOf)));
        Assert.Equal(OutcomeStatistics.Retention(started, AsOf), OutcomeStatistics.Retention(stays).Select(c => c.Row));
        Assert.Equal(OutcomeStatistics.RelapseSurvival(started, "medication", e => e.CohortMedication ?? "unknown", AsOf),
            OutcomeStatistics.RelapseSurvival(fromRows, "medication", e => e.CohortMedication ?? "unknown", AsOf));
        Assert.Equal(OutcomeStatistics.InductionWithdrawal(started), OutcomeStatistics.InductionWithdrawal(fromRows));
        Assert.Equal(OutcomeStatistics.CountedScreenPositivity(started), OutcomeStatistics.CountedScreenPositivity(fromRows));
        Assert.Equal(UsePatterns.Survival(started, RelapseDefinitions.All, AsOf), UsePatterns.Survival(fromRows, RelapseDefinitions.All, AsOf));
        Assert.Equal(UsePatterns.Comparison(started, RelapseDefinitions.All, AsOf), UsePatterns.Comparison(fromRows, RelapseDefinitions.All, AsOf));
        Assert.NotEmpty(OutcomeStatistics.InductionWithdrawal(started));
        Assert.NotEmpty(OutcomeStatistics.CountedScreenPositivity(started));

        // The statistics counted in the database or folded over the rows: the pure functions' figures, under each filter.
        foreach (var cut in new[] { new CohortFilter(), new CohortFilter(null, "buprenorphine"), new CohortFilter("clinic-a", "methadone", new DateOnly(2025, 9, 1)) })
        {
            var cohort = cut.Select(episodes).ToList();
            Assert.Equal(OutcomeStatistics.Retention(cohort.Select(e => (e, OutcomeStatistics.StayOf(e, AsOf)!))),
                await CohortAggregates.Retention(query, cut, AsOf, CancellationToken.None));
            Assert.Equal(OutcomeStatistics.RelapseSurvival(cohort, "medication", e => e.CohortMedication ?? "unknown", AsOf)
                    .Concat(OutcomeStatistics.RelapseSurvival(cohort, "clinic", e => e.ClinicId, AsOf)),
                await CohortAggregates.RelapseSurvival(query, cut, null, AsOf, CancellationToken.None));
            Assert.Equal(OutcomeStatistics.RelapseSurvival(cohort, "clinic", e => e.ClinicId, AsOf),
                await CohortAggregates.RelapseSurvival(query, cut, "clinic", AsOf, CancellationToken.None));
            Assert.Equal(OutcomeStatistics.InductionWithdrawal(cut.Select(episodes, e => e.InductionMedication ?? e.CohortMedication)),
                await CohortAggregates.InductionWithdrawal(query, cut, CancellationToken.None));
            Assert.Equal(OutcomeStatistics.CountedScreenPositivity(cohort), await CohortAggregates.ScreenPositivity(query, cut, CancellationToken.None));
            var times = await CohortAggregates.DefinitionTimes(query, cut, RelapseDefinitions.All, AsOf, CancellationToken.None);
            Assert.Equal(UsePatterns.Survival(cohort, RelapseDefinitions.All, AsOf), UsePatterns.Survival(RelapseDefinitions.All, times));
            Assert.Equal(UsePatterns.Comparison(cohort, RelapseDefinitions.All, AsOf), UsePatterns.Comparison(RelapseDefinitions.All, times));
            Assert.NotEmpty(times.Times[0]);
            Assert.NotEmpty(await CohortAggregates.Retention(query, cut, AsOf, CancellationToken.None));
        }

        // The filters in the database select what the filter selects; the use patterns get each chosen patient's every episode.
        var filter = new CohortFilter("clinic-b", null, new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 30));
        var selected = await EpisodeCohorts.Read(query, filter, CohortParts.Dates, CancellationToken.None);
        Assert.Equal(filter.Select(episodes).Select(e => e.EpisodeId).Order(), selected.Select(c => c.Id).Order());
        Assert.NotEmpty(selected);
        var pseudonyms = new Pseudonyms(new byte[32]);
        var chosen = (await EpisodeCohorts.ReadPatients(query, filter, CancellationToken.None))
            .GroupBy(c => c.PatientId).Select(p => new PatientOutcomes { Id = p.Key, Episodes = p.Select(c => c.ToEpisode()).ToList() });
        Assert.Equal(UsePatterns.Rows(patients, filter, pseudonyms, AsOf), UsePatterns.Rows(chosen, filter, pseudonyms, AsOf));
        var everyone = (await EpisodeCohorts.ReadPatients(query, new CohortFilter(), CancellationToken.None))
            .GroupBy(c => c.PatientId).Select(p => new PatientOutcomes { Id = p.Key, Episodes = p.Select(c => c.ToEpisode()).ToList() });
        var expected = UsePatterns.Rows(patients, new CohortFilter(), pseudonyms, AsOf);
        Assert.Equal(expected, UsePatterns.Rows(everyone, new CohortFilter(), pseudonyms, AsOf));
        Assert.Contains(expected, r => r.Episode == 2);
    }

    [Fact]
    public async Task An_episode_the_outcomes_no_longer_hold_leaves_the_cohort_table()
    {
        using var store = Store("episode_cohort_unlinked_test");
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await Clear(store);
        var patient = Patients(1, seed: 3, episodes: 2)[0];
        foreach (var outcomes in new[] { patient, patient with { Episodes = patient.Episodes.Take(1).ToList() } })
        {
            await using var session = store.LightweightSession();
            EpisodeCohorts.Store(session, outcomes);
            await session.SaveChangesAsync();
        }
        await using var query = store.QuerySession();
        var rows = await EpisodeCohorts.Read(query, new CohortFilter(), CohortParts.Dates, CancellationToken.None);
        Assert.Equal([patient.Episodes[0].EpisodeId], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_store_from_before_the_table_gets_its_rows_from_the_cohort_documents_once()
    {
        const string schema = "episode_cohort_fill_test";
        var patients = Patients(40, seed: 11);
        var episodes = patients.SelectMany(p => p.Episodes).ToList();
        // The store as it was: each episode's cohort a JSON document, stored as the outcomes projection stored it.
        using (var before = DocumentStore.For(o =>
               {
                   Options(o, schema);
                   o.Schema.For<EpisodeCohort>();
               }))
        {
            await before.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await before.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(EpisodeCohort));
            await using var session = before.LightweightSession();
            session.Store(episodes.Select(EpisodeCohort.Of).ToArray());
            await session.SaveChangesAsync();
        }

        using var store = Store(schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await Clear(store);
        Assert.Equal(episodes.Count, await EpisodeCohorts.FillFromDocuments(store, CancellationToken.None));
        Assert.Equal(0, await EpisodeCohorts.FillFromDocuments(store, CancellationToken.None));

        await using var query = store.QuerySession();
        var read = await EpisodeCohorts.Read(query, new CohortFilter(), CohortParts.Cows | CohortParts.Screens, CancellationToken.None);
        Assert.Equal(Json(new CohortFilter().Select(episodes).Select(EpisodeCohort.Of)), Json(read));
    }

    [Fact]
    public async Task Rows_from_before_the_packed_screens_are_packed_from_their_arrays_and_folded_the_same_meanwhile()
    {
        using var store = Store("episode_cohort_packed_test");
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await Clear(store);
        var patients = Patients(60, seed: 13).Concat(Boundaries()).ToList();
        var episodes = patients.SelectMany(p => p.Episodes).ToList();
        await using (var session = store.LightweightSession())
        {
            foreach (var outcomes in patients) EpisodeCohorts.Store(session, outcomes);
            await session.SaveChangesAsync();
        }
        var table = $"{store.Options.DatabaseSchemaName}.{EpisodeCohorts.Table}";
        await using var query = store.QuerySession();
        var packed = await Packed(query, table);
        Assert.Equal(episodes.OrderBy(e => e.EpisodeId).Select(e => Convert.ToHexString(EpisodeCohorts.Pack(e.Screens))), packed.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal(0, await EpisodeCohorts.FillPacked(store, CancellationToken.None));

        // As the rows were before the column: null; folded meanwhile from the arrays, then filled from them once.
        await using (var session = store.LightweightSession())
        {
            session.QueueSqlCommand($"update {table} set screens_packed = null");
            await session.SaveChangesAsync();
        }
        var cut = new CohortFilter(null, "methadone");
        var times = await CohortAggregates.DefinitionTimes(query, cut, RelapseDefinitions.All, AsOf, CancellationToken.None);
        Assert.Equal(UsePatterns.Comparison(cut.Select(episodes).ToList(), RelapseDefinitions.All, AsOf), UsePatterns.Comparison(RelapseDefinitions.All, times));
        Assert.Equal(OutcomeStatistics.CountedScreenPositivity(cut.Select(episodes)), await CohortAggregates.ScreenPositivity(query, cut, CancellationToken.None));
        Assert.Equal(episodes.Count, await EpisodeCohorts.FillPacked(store, CancellationToken.None));
        Assert.Equal(0, await EpisodeCohorts.FillPacked(store, CancellationToken.None));
        Assert.Equal(packed, await Packed(query, table));
        Assert.Contains(episodes, e => e.Screens.Count > 1);
    }

    private static async Task<Dictionary<Guid, string>> Packed(IQuerySession query, string table)
    {
        var rows = new Dictionary<Guid, string>();
        await using var command = new Npgsql.NpgsqlCommand($"select id, upper(encode(screens_packed, 'hex')) from {table}");
        await using var reader = await query.ExecuteReaderAsync(command);
        while (await reader.ReadAsync()) rows[reader.GetGuid(0)] = reader.GetString(1);
        return rows;
    }

    private static DocumentStore Store(string schema) => DocumentStore.For(o => Options(o, schema));

    private static void Options(StoreOptions o, string schema)
    {
        o.Connection(Platform.ConnectionString);
        o.DatabaseSchemaName = schema;
        o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // As the Timeline serializes (EventStoreSetup).
        o.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        EpisodeCohorts.Configure(o);
    }

    private static async Task Clear(IDocumentStore store)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"delete from {store.Options.DatabaseSchemaName}.{EpisodeCohorts.Table}");
        await session.SaveChangesAsync();
    }

    /// <summary>Cohorts compared as their JSON, by episode, every time in UTC (timestamptz keeps the instant, not the offset).</summary>
    private static string Json(IEnumerable<EpisodeCohort> cohorts) => JsonSerializer.Serialize(cohorts.OrderBy(c => c.Id).Select(c => c with
    {
        FirstDoseAt = c.FirstDoseAt?.ToUniversalTime(),
        Cows = c.Cows.Select(s => s with { ScoredAt = s.ScoredAt.ToUniversalTime() }).ToList(),
    }));

    /// <summary>
    /// Episodes on the edges, in pairs: last seen 30 days before the count (ongoing) and 31 (not); stays of 30 days and of 29;
    /// returned to treatment before the last observation (censored at the return) and after it; one patient with two
    /// episodes in the same cohort month and screen weeks (counted once).
    /// </summary>
    private static IEnumerable<PatientOutcomes> Boundaries()
    {
        var start = AsOf.AddDays(-100);
        EpisodeOutcome Episode(Guid patient, int[] contactDays, int? droppedOutDay = null, int? completedDay = null, DateOnly? returned = null) => new()
        {
            EpisodeId = Guid.NewGuid(), PatientId = patient, ClinicId = "clinic-c", Medication = "methadone", InductionMedication = "methadone",
            FirstDoseAt = new DateTimeOffset(start.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero),
            Contacts = contactDays.Select(d => start.AddDays(d)).ToList(),
            DroppedOutOn = droppedOutDay is { } d ? start.AddDays(d) : null,
            CompletedOn = completedDay is { } c ? start.AddDays(c) : null,
            ReturnedOn = returned,
            Screens = completedDay is { } done ? [new ScreenResult(start.AddDays(done + 1), true, false), new ScreenResult(start.AddDays(done + 8), false, false)] : [],
            LastObservedOn = start.AddDays(60),
        };
        PatientOutcomes One(Func<Guid, EpisodeOutcome[]> episodes)
        {
            var patient = Guid.NewGuid();
            return new PatientOutcomes { Id = patient, Episodes = episodes(patient) };
        }
        yield return One(p => [Episode(p, [0, 20, 40, 70])]); // last contact 30 days before the count: ongoing
        yield return One(p => [Episode(p, [0, 20, 40, 69])]); // 31 days: not ongoing
        yield return One(p => [Episode(p, [0, 15], droppedOutDay: 30)]); // 30 days in treatment
        yield return One(p => [Episode(p, [0, 15], droppedOutDay: 29)]); // 29
        yield return One(p => [Episode(p, [0, 7], completedDay: 14, returned: start.AddDays(40))]); // censored at the return
        yield return One(p => [Episode(p, [0, 7], completedDay: 14, returned: start.AddDays(80))]); // censored at the last observation
        yield return One(p => [Episode(p, [0, 7], completedDay: 14), Episode(p, [0, 7], completedDay: 14)]);
    }

    /// <summary>
    /// Patients with one or two episodes each, the same for the same seed: started or never started, completed, dropped out or
    /// going on, relapsed and returned or not, COWS scores around the first dose (some in other time zones), weekly screens.
    /// </summary>
    private static List<PatientOutcomes> Patients(int count, int seed = 7, int? episodes = null)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var patient = Guid.NewGuid();
            var start = new DateOnly(2025, 6, 1).AddDays(random.Next(450));
            return new PatientOutcomes
            {
                Id = patient,
                Episodes = Enumerable.Range(0, episodes ?? 1 + random.Next(2)).Select(n =>
                {
                    var detox = start.AddDays(n * 60);
                    var firstDose = new DateTimeOffset(detox.ToDateTime(new TimeOnly(random.Next(24), random.Next(60), random.Next(60))), TimeSpan.Zero)
                        .ToOffset(TimeSpan.FromHours(random.Next(3) - 1));
                    var started = random.Next(8) != 0;
                    var ending = random.Next(3);
                    var completed = ending == 0 ? detox.AddDays(7 + random.Next(14)) : (DateOnly?)null;
                    var dropped = ending == 1 ? detox.AddDays(2 + random.Next(10)) : (DateOnly?)null;
                    var screens = completed is { } c
                        ? Enumerable.Range(0, random.Next(12)).Select(w => new ScreenResult(c.AddDays(7 * w + random.Next(7)), random.Next(4) == 0, random.Next(10) == 0)).ToList()
                        : [];
                    var relapsed = completed is not null && random.Next(3) == 0 ? completed.Value.AddDays(random.Next(60)) : (DateOnly?)null;
                    return new EpisodeOutcome
                    {
                        EpisodeId = Guid.NewGuid(), PatientId = patient, ClinicId = Clinics[random.Next(Clinics.Length)],
                        Medication = Medications[random.Next(Medications.Length)],
                        InductionMedication = started ? Medications[random.Next(3)] : null,
                        FirstDoseAt = started ? firstDose : null,
                        CompletedOn = completed, DroppedOutOn = dropped, RelapsedOn = relapsed,
                        ReturnedOn = relapsed is { } r && random.Next(2) == 0 ? r.AddDays(10) : null,
                        // Two scores in hour 2 (the later counts), one at the same moment as another (the first recorded counts),
                        // one past the 72 hours, some written in another time zone.
                        Cows = started
                            ? new[] { -0.5, 2, 2.5, 6, 24, 80 }.Select(h => new CowsScore(firstDose.AddHours(h).AddSeconds(random.Next(60)).ToOffset(TimeSpan.FromHours(random.Next(3))), random.Next(30)))
                                .Append(new CowsScore(firstDose.AddHours(30), random.Next(30))).Append(new CowsScore(firstDose.AddHours(30), random.Next(30)))
                                .OrderBy(c => c.ScoredAt).ToList()
                            : [],
                        Screens = screens,
                        Contacts = Enumerable.Range(0, random.Next(30)).Select(d => detox.AddDays(d * (1 + random.Next(20)))).Distinct().Order().ToList(),
                        LastObservedOn = (screens.Count > 0 ? screens[^1].CollectedOn : detox).AddDays(random.Next(5)),
                    };
                }).ToList(),
            };
        }).ToList();
    }
}
