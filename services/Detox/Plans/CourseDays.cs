namespace Recovery.Detox.Plans;

/// <summary>
/// The days of a medication course: 24-hour periods from the course's first dose (day 1 is the first dose's 24 hours), not
/// calendar dates, so a split dose across midnight falls in one day wherever the clinic is (DOMAIN.md, dosing safety).
/// </summary>
public static class CourseDays
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>The course day <paramref name="at"/> falls in; 1 before the first dose (a dose then would start day 1).</summary>
    public static int Of(DetoxPlan plan, DateTimeOffset at) => Of(plan.CourseFirstDose()?.GivenAt, at);

    public static int Of(DateTimeOffset? firstDoseAt, DateTimeOffset at) =>
        firstDoseAt is { } first && at > first ? (int)((at - first).Ticks / Length.Ticks) + 1 : 1;

    /// <summary>The mg of the current course given on each course day that has a dose.</summary>
    public static IReadOnlyDictionary<int, decimal> Totals(DetoxPlan plan)
    {
        var first = plan.CourseFirstDose()?.GivenAt;
        return plan.Doses.Where(d => d.Course == plan.Course).GroupBy(d => Of(first, d.GivenAt)).ToDictionary(g => g.Key, g => g.Sum(d => d.DoseMg));
    }
}
