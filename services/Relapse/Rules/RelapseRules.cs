using Recovery.Clinical;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Rules;

/// <summary>How one monitoring week looks to the CTN-0094 rule.</summary>
public enum WeekStatus
{
    /// <summary>A collected screen, none positive for a non-prescribed opioid.</summary>
    Negative,

    /// <summary>A screen positive for a non-prescribed opioid.</summary>
    Positive,

    /// <summary>The week has ended without a collected screen (none at all, or only not-collected ones).</summary>
    Missing,

    /// <summary>The week has not ended and has no collected screen yet: not missing, not good.</summary>
    InProgress,
}

/// <summary>Week <paramref name="Week"/> (1-based) covers <paramref name="From"/>..<paramref name="To"/>.</summary>
public sealed record MonitoringWeek(int Week, DateOnly From, DateOnly To, WeekStatus Status, IReadOnlyList<Substance> PositiveFor)
{
    public bool IsBad => Status is WeekStatus.Positive or WeekStatus.Missing;

    public string Describe() => Status == WeekStatus.Positive
        ? $"positive ({string.Join(", ", PositiveFor.Select(s => Kebab.Of(s)))})"
        : Kebab.Of(Status);
}

/// <summary>What a rule derives from a monitoring's facts as of a date.</summary>
public sealed record RelapseEvaluation(
    string Rule,
    DateOnly AsOf,
    bool Relapsed,
    DateOnly? RelapsedOn,
    string? Evidence,
    IReadOnlyList<MonitoringWeek> Weeks);

/// <summary>
/// Relapse is derived, never typed in: each rule is named and versioned, so a clinic can change its definition
/// and recompute, and every detection says which rule found it. A changed rule gets a new version, never an edit.
/// </summary>
public static class RelapseRules
{
    public const string Ctn0094ReturnToUse = "ctn-0094-return-to-use@1";
    public const string AnyPositiveAfterDetox = "any-positive-after-detox@1";
    public const string Default = Ctn0094ReturnToUse;

    public static readonly IReadOnlyList<string> Known = [Ctn0094ReturnToUse, AnyPositiveAfterDetox];

    public static bool IsKnown(string rule) => Known.Contains(rule);

    /// <summary>
    /// Evaluates <paramref name="rule"/> over the monitoring's stored facts known as of <paramref name="asOf"/>
    /// (facts dated later are not considered). Self-reported use and missed visits are stored and shown, but no rule
    /// here reads them: CTN-0094 counts only urine screens (a missed visit without a screen is already a missing week).
    /// </summary>
    public static RelapseEvaluation Evaluate(string rule, Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol) => rule switch
    {
        Ctn0094ReturnToUse => ReturnToUse(rule, monitoring, asOf, protocol.ConsecutiveBadWeeks),
        AnyPositiveAfterDetox => AnyPositive(rule, monitoring, asOf),
        _ => throw new ArgumentException($"Unknown relapse rule '{rule}'; known: {string.Join(", ", Known)}.", nameof(rule)),
    };

    /// <summary>
    /// CTN-0094 return to use (DOMAIN.md): <paramref name="threshold"/> (default 4) consecutive weekly screens missing
    /// or positive for non-prescribed opioids. Weeks are 7-day periods from StartedOn (week 1 = days 0-6). A week counts
    /// as missing only once it has ended; a positive counts at once. Relapse is dated the first day of the run's first week.
    /// </summary>
    public static RelapseEvaluation ReturnToUse(string rule, Monitoring monitoring, DateOnly asOf, int threshold)
    {
        var weeks = WeeksOf(monitoring, asOf);
        var run = 0;
        for (var i = 0; i < weeks.Count; i++)
        {
            run = weeks[i].IsBad ? run + 1 : 0;
            if (run < threshold) continue;
            var first = weeks[i - threshold + 1];
            var evidence = $"weeks {first.Week}-{weeks[i].Week}: " +
                string.Join(", ", weeks.Skip(i - threshold + 1).Take(threshold).Select(w => w.Describe()));
            return new RelapseEvaluation(rule, asOf, true, first.From, evidence, weeks);
        }
        return new RelapseEvaluation(rule, asOf, false, null, null, weeks);
    }

    /// <summary>Any screen after StartedOn positive for a non-prescribed opioid is a relapse on that screen's date.</summary>
    public static RelapseEvaluation AnyPositive(string rule, Monitoring monitoring, DateOnly asOf)
    {
        var positive = monitoring.Screens
            .Where(s => s.CollectedOn > monitoring.StartedOn && s.CollectedOn <= asOf)
            .Select(s => (s.CollectedOn, For: Substances.NonPrescribedOpioidsPositive(s.Results, monitoring.PrescribedOpioid)))
            .Where(s => s.For.Count > 0)
            .OrderBy(s => s.CollectedOn)
            .FirstOrDefault();
        return positive.For is null
            ? new RelapseEvaluation(rule, asOf, false, null, null, [])
            : new RelapseEvaluation(rule, asOf, true, positive.CollectedOn,
                $"screen collected {positive.CollectedOn:yyyy-MM-dd}: positive ({string.Join(", ", positive.For.Select(s => Kebab.Of(s)))})", []);
    }

    /// <summary>The monitoring's weeks from week 1 to the week holding <paramref name="asOf"/>.</summary>
    public static IReadOnlyList<MonitoringWeek> WeeksOf(Monitoring monitoring, DateOnly asOf)
    {
        if (asOf < monitoring.StartedOn) return [];
        var count = (asOf.DayNumber - monitoring.StartedOn.DayNumber) / 7 + 1;
        var weeks = new List<MonitoringWeek>(count);
        for (var n = 1; n <= count; n++)
        {
            var from = monitoring.StartedOn.AddDays(7 * (n - 1));
            var to = from.AddDays(6);
            var screens = monitoring.Screens.Where(s => s.CollectedOn >= from && s.CollectedOn <= to && s.CollectedOn <= asOf).ToList();
            var positiveFor = screens.SelectMany(s => Substances.NonPrescribedOpioidsPositive(s.Results, monitoring.PrescribedOpioid))
                .Distinct().Order().ToList();
            var status =
                positiveFor.Count > 0 ? WeekStatus.Positive
                : screens.Any(s => !s.NotCollected) ? WeekStatus.Negative
                : asOf > to ? WeekStatus.Missing
                : WeekStatus.InProgress;
            weeks.Add(new MonitoringWeek(n, from, to, status, positiveFor));
        }
        return weeks;
    }
}
