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

/// <summary>
/// Week <paramref name="Week"/> (1-based) covers <paramref name="From"/>..<paramref name="To"/>. <paramref name="Mixed"/>: a
/// positive week whose collected screens disagree (CTN-0094's "*"; every relapse definition reads it as positive).
/// </summary>
public sealed record MonitoringWeek(int Week, DateOnly From, DateOnly To, WeekStatus Status, IReadOnlyList<Substance> PositiveFor,
    bool Mixed = false)
{
    public bool IsBad => Status is WeekStatus.Positive or WeekStatus.Missing;

    /// <summary>The week in the CTN-0094 harmonised coding; null while in progress (not yet a week of the pattern).</summary>
    public UseWeek? Use => Status switch
    {
        WeekStatus.Positive => Mixed ? UseWeek.Mixed : UseWeek.Positive,
        WeekStatus.Negative => UseWeek.Negative,
        WeekStatus.Missing => UseWeek.Missing,
        _ => null,
    };

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

    /// <summary>The platform's two rules, then the field's published definitions (<see cref="RelapseDefinitions.All"/>).</summary>
    public static readonly IReadOnlyList<string> Known =
        [Ctn0094ReturnToUse, AnyPositiveAfterDetox, .. RelapseDefinitions.All.Select(d => d.Name)];

    public static bool IsKnown(string rule) => Known.Contains(rule);

    /// <summary>
    /// Evaluates <paramref name="rule"/> over the monitoring's stored facts known as of <paramref name="asOf"/>
    /// (facts dated later are not considered). Self-reported use and missed visits are stored and shown, but no rule
    /// here reads them: CTN-0094 counts only urine screens (a missed visit without a screen is already a missing week).
    /// </summary>
    public static RelapseEvaluation Evaluate(string rule, Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol) => rule switch
    {
        Ctn0094ReturnToUse => ReturnToUse(rule, monitoring, asOf, protocol),
        AnyPositiveAfterDetox => AnyPositive(rule, monitoring, asOf, protocol),
        _ when RelapseDefinitions.Named(rule) is { } definition => ByDefinition(definition, monitoring, asOf, protocol),
        _ => throw new ArgumentException($"Unknown relapse rule '{rule}'; known: {string.Join(", ", Known)}.", nameof(rule)),
    };

    /// <summary>
    /// A published definition (<see cref="RelapseDefinitions"/>) over the monitoring's weekly pattern as of
    /// <paramref name="asOf"/>: the weeks that have ended, and the current one once it has a collected screen (a positive
    /// counts at once). Relapse is dated the first day of the first window holding it (CTNote's time).
    /// </summary>
    public static RelapseEvaluation ByDefinition(RelapseDefinition definition, Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol)
    {
        var weeks = WeeksOf(monitoring, asOf, protocol);
        var known = weeks.TakeWhile(w => w.Use is not null).ToList();
        var detection = definition.Detect(known.Select(w => w.Use!.Value).ToList());
        if (!detection.Event) return new RelapseEvaluation(definition.Name, asOf, false, null, null, weeks);
        var window = known.Skip(detection.Week!.Value - 1).Take(definition.Window).ToList();
        var evidence = $"weeks {window[0].Week}-{window[^1].Week}: " + string.Join(", ", window.Select(w => w.Describe()));
        return new RelapseEvaluation(definition.Name, asOf, true, window[0].From, evidence, weeks);
    }

    /// <summary>The opioid medication the monitored patient was receiving on <paramref name="collectedOn"/> (see <see cref="Substances.PrescribedAt"/>).</summary>
    public static Substance? PrescribedAt(Monitoring monitoring, DateOnly collectedOn, RelapseProtocol protocol) =>
        Substances.PrescribedAt(monitoring.PrescribedOpioid, monitoring.StartedOn, collectedOn, protocol.PrescribedResidualDays);

    /// <summary>
    /// CTN-0094 return to use (DOMAIN.md): <paramref name="threshold"/> (default 4) consecutive weekly screens missing
    /// or positive for non-prescribed opioids. Weeks are 7-day periods from StartedOn (week 1 = days 0-6). A week counts
    /// as missing only once it has ended; a positive counts at once. Relapse is dated the first day of the run's first week.
    /// </summary>
    public static RelapseEvaluation ReturnToUse(string rule, Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol)
    {
        var threshold = protocol.ConsecutiveBadWeeks;
        var weeks = WeeksOf(monitoring, asOf, protocol);
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
    public static RelapseEvaluation AnyPositive(string rule, Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol)
    {
        var positive = monitoring.Screens
            .Where(s => s.CollectedOn > monitoring.StartedOn && s.CollectedOn <= asOf)
            .Select(s => (s.CollectedOn, For: Substances.NonPrescribedOpioidsPositive(s.Results, PrescribedAt(monitoring, s.CollectedOn, protocol))))
            .Where(s => s.For.Count > 0)
            .OrderBy(s => s.CollectedOn)
            .FirstOrDefault();
        return positive.For is null
            ? new RelapseEvaluation(rule, asOf, false, null, null, [])
            : new RelapseEvaluation(rule, asOf, true, positive.CollectedOn,
                $"screen collected {positive.CollectedOn:yyyy-MM-dd}: positive ({string.Join(", ", positive.For.Select(s => Kebab.Of(s)))})", []);
    }

    /// <summary>
    /// The monitoring's weeks from week 1 to the week holding <paramref name="asOf"/>; each screen judged against the
    /// medication the patient was receiving when it was collected.
    /// </summary>
    public static IReadOnlyList<MonitoringWeek> WeeksOf(Monitoring monitoring, DateOnly asOf, RelapseProtocol protocol)
    {
        if (asOf < monitoring.StartedOn) return [];
        var count = (asOf.DayNumber - monitoring.StartedOn.DayNumber) / 7 + 1;
        var weeks = new List<MonitoringWeek>(count);
        for (var n = 1; n <= count; n++)
        {
            var from = monitoring.StartedOn.AddDays(7 * (n - 1));
            var to = from.AddDays(6);
            var screens = monitoring.Screens.Where(s => s.CollectedOn >= from && s.CollectedOn <= to && s.CollectedOn <= asOf).ToList();
            var judged = screens.Where(s => !s.NotCollected)
                .Select(s => Substances.NonPrescribedOpioidsPositive(s.Results, PrescribedAt(monitoring, s.CollectedOn, protocol))).ToList();
            var positiveFor = judged.SelectMany(p => p).Distinct().Order().ToList();
            var status =
                positiveFor.Count > 0 ? WeekStatus.Positive
                : screens.Any(s => !s.NotCollected) ? WeekStatus.Negative
                : asOf > to ? WeekStatus.Missing
                : WeekStatus.InProgress;
            weeks.Add(new MonitoringWeek(n, from, to, status, positiveFor, Mixed: positiveFor.Count > 0 && judged.Any(p => p.Count == 0)));
        }
        return weeks;
    }
}
