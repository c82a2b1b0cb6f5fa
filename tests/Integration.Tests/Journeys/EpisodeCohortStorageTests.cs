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
        await Clear(store);
        var patients = Patients(90);
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
                        Cows = started ? new[] { -0.5, 2, 6, 24, 80 }.Select(h => new CowsScore(firstDose.AddHours(h).AddSeconds(random.Next(60)), random.Next(30))).ToList() : [],
                        Screens = screens,
                        Contacts = Enumerable.Range(0, random.Next(30)).Select(d => detox.AddDays(d * (1 + random.Next(20)))).Distinct().Order().ToList(),
                        LastObservedOn = (screens.Count > 0 ? screens[^1].CollectedOn : detox).AddDays(random.Next(5)),
                    };
                }).ToList(),
            };
        }).ToList();
    }
}
