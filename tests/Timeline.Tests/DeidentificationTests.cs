using Recovery.Timeline.Analytics;

namespace Recovery.Timeline.Tests;

/// <summary>What analysts may see: no cell from fewer than the minimum of patients, no date finer than the year.</summary>
public class DeidentificationTests
{
    private sealed record Cell(string Name, int Patients);

    [Fact]
    public void A_row_from_ten_patients_is_suppressed_and_one_from_eleven_is_released_and_the_answer_says_so()
    {
        var released = new SmallCellRule(11).Apply([new Cell("ten", 10), new Cell("eleven", 11), new Cell("one", 1), new Cell("none", 0)],
            c => c.Patients);
        Assert.Equal(["eleven", "none"], released.Rows.Select(r => r.Name));
        Assert.Equal((11, 2), (released.SmallCells.MinimumPatients, released.SmallCells.SuppressedCells));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_minimum_below_one_stops_start_up(int minimum) =>
        Assert.Throws<InvalidOperationException>(() => new SmallCellRule(minimum));

    [Fact]
    public void A_survival_curve_ends_where_fewer_than_the_minimum_remain_at_risk()
    {
        var curve = OutcomeStatistics.KaplanMeier(Enumerable.Range(1, 14).Select(day => (day, day % 2 == 0)))
            .Select(s => new SurvivalRow("medication", "methadone", s.Day, s.AtRisk, s.Relapses, s.Censored, s.Survival)).ToList();
        var released = new SmallCellRule(11).Apply(curve, r => r.AtRisk);
        Assert.Equal([1, 2, 3, 4], released.Rows.Select(r => r.Day)); // at risk 14, 13, 12, 11; day 5 has 10
        Assert.Equal(10, released.SmallCells.SuppressedCells);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6.99, 0)]
    [InlineData(7, 1)]
    [InlineData(13.99, 1)]
    [InlineData(70, 10)]
    public void Facts_are_placed_by_whole_weeks_since_the_journeys_first_fact(double days, int week)
    {
        var first = new DateTimeOffset(2026, 3, 4, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(week, Deidentification.WeeksSince(first, first.AddDays(days)));
    }
}
