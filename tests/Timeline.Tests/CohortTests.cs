using Recovery.Timeline.Analytics;

namespace Recovery.Timeline.Tests;

/// <summary>
/// The episode cohorts the outcome endpoints read: the same statistics as from the episodes they come from, and the small-cell
/// rule counting the people in a cell, not their episodes.
/// </summary>
public class CohortTests
{
    private static readonly DateOnly Start = new(2026, 1, 5);
    private static readonly DateOnly AsOf = new(2026, 9, 30);

    /// <summary>A detox from <see cref="Start"/>, seen on the given days, completed on day 14, screened weekly after it.</summary>
    private static EpisodeOutcome Episode(Guid patient, IEnumerable<int> contactDays, int? droppedOutDay = null, bool positive = false) => new()
    {
        EpisodeId = Guid.NewGuid(),
        PatientId = patient,
        ClinicId = "clinic-a",
        Medication = "buprenorphine",
        FirstDoseAt = new DateTimeOffset(Start.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
        Contacts = contactDays.Select(d => Start.AddDays(d)).ToList(),
        DroppedOutOn = droppedOutDay is { } d ? Start.AddDays(d) : null,
        CompletedOn = droppedOutDay is null ? Start.AddDays(14) : null,
        Screens = [new ScreenResult(Start.AddDays(15), positive, false), new ScreenResult(Start.AddDays(22), false, false)],
        LastObservedOn = Start.AddDays(22),
    };

    [Fact]
    public void A_stay_read_from_the_cohort_summary_is_the_stay_folded_from_the_contacts()
    {
        var patient = Guid.NewGuid();
        EpisodeOutcome[] episodes =
        [
            Episode(patient, [0, 30, 61]), // a gap of 31 days ends it at day 30
            Episode(patient, [0, 5, 10, 25], droppedOutDay: 20), // ends at the dropout
            Episode(patient, [0, 7, 14]) with { FirstDoseAt = new DateTimeOffset(2026, 9, 10, 9, 0, 0, TimeSpan.Zero) }, // ongoing
            Episode(patient, []) with { FirstDoseAt = null }, // never started
        ];
        foreach (var episode in episodes)
        {
            var cohort = EpisodeCohort.Of(episode);
            var read = cohort.Stay is { } parts ? OutcomeStatistics.Stay(parts, AsOf) : null;
            Assert.Equal(OutcomeStatistics.StayOf(episode, AsOf), read);
        }
        var stays = episodes.Select(EpisodeCohort.Of).Where(c => c.Stay is not null)
            .Select(c => (c.ToEpisode(), OutcomeStatistics.Stay(c.Stay!, AsOf)));
        Assert.Equal(OutcomeStatistics.Retention(episodes, AsOf), OutcomeStatistics.Retention(stays).Select(c => c.Row));
        Assert.Equal(OutcomeStatistics.ScreenPositivity(episodes), OutcomeStatistics.ScreenPositivity(episodes.Select(e => EpisodeCohort.Of(e).ToEpisode())));
    }

    [Fact]
    public void Ten_patients_with_eleven_episodes_in_a_retention_cell_are_suppressed_and_eleven_patients_are_released()
    {
        var rule = new SmallCellRule(11);
        var ten = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        // Ten people, one of them with two episodes in the same cohort (clinic, medication, month): eleven episodes.
        var tenPeople = ten.Select(p => Episode(p, [0, 7, 14])).Append(Episode(ten[0], [0, 7])).ToList();
        var elevenPeople = ten.Append(Guid.NewGuid()).Select(p => Episode(p, [0, 7, 14])).ToList();

        var suppressed = rule.Apply(Retention(tenPeople), c => c.Patients);
        Assert.Equal((0, 1), (suppressed.Rows.Count, suppressed.SmallCells.SuppressedCells));
        var released = rule.Apply(Retention(elevenPeople), c => c.Patients);
        Assert.Equal((1, 0, 11), (released.Rows.Count, released.SmallCells.SuppressedCells, released.Rows[0].Row.Episodes));
    }

    [Fact]
    public void Ten_patients_with_eleven_episodes_in_a_screen_week_are_suppressed_and_eleven_patients_are_released()
    {
        var rule = new SmallCellRule(11);
        var ten = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var tenPeople = ten.Select(p => Episode(p, [0])).Append(Episode(ten[0], [0], positive: true)).ToList();
        var elevenPeople = ten.Append(Guid.NewGuid()).Select(p => Episode(p, [0])).ToList();

        // Weeks 0 and 1 after completion (days 15 and 22 from the start, completed on day 14): eleven episodes each.
        var suppressed = rule.Apply(OutcomeStatistics.CountedScreenPositivity(tenPeople), c => c.Patients);
        Assert.Equal((0, 2), (suppressed.Rows.Count, suppressed.SmallCells.SuppressedCells));
        var released = rule.Apply(OutcomeStatistics.CountedScreenPositivity(elevenPeople), c => c.Patients);
        Assert.Equal([(0, 11), (1, 11)], released.Rows.Select(c => (c.Row.Week, c.Row.Episodes)));
    }

    private static IReadOnlyList<Counted<RetentionRow>> Retention(IEnumerable<EpisodeOutcome> episodes) =>
        OutcomeStatistics.Retention(episodes.Select(e => (e, OutcomeStatistics.StayOf(e, AsOf)!)));
}
