using Recovery.Clinical;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// One week of an episode's use pattern after detox, de-identified, in the CTN-0094 harmonised shape (one row per pseudonym,
/// episode and week): what CTNote reads once a subject's symbols are pasted into a word. Week 1 is days 0-6 from the day detox
/// ended (completed or dropped out), as relapse tracking counts them.
/// </summary>
public sealed record UsePatternRow(string Who, string Pseudonym, int Episode, string Clinic, string Medication, string DetoxOutcome,
    int Week, string Result, string Symbol);

/// <summary>One step of a Kaplan-Meier table under a relapse definition, in weeks after detox completion.</summary>
public sealed record DefinitionSurvivalRow(string Definition, int Week, int AtRisk, int Events, int Censored, double Survival);

/// <summary>
/// Several definitions on the same cohort: how many episodes each could judge, how many it finds relapsed, the Kaplan-Meier
/// median (weeks; null when survival stays above half) and relapse-free shares at 4, 12 and 26 weeks (null past the data).
/// </summary>
public sealed record DefinitionComparisonRow(string Definition, string Reference, string Outcome, int Episodes, int Evaluable, int Events,
    double? EventShare, int? MedianWeeks, double? Survival4, double? Survival12, double? Survival26);

/// <summary>
/// Relapse under the field's definitions (<see cref="RelapseDefinitions"/>), computed from the screens the network record
/// holds for each episode, not from any clinic's operational rule: each screen as relapse tracking judged it (positive for a
/// non-prescribed opioid, following the medication the patient was receiving when it was collected).
/// </summary>
public static class UsePatterns
{
    /// <summary>
    /// The weeks of an episode after its detox ended that have ended by <paramref name="asOf"/> (or by the return to
    /// treatment, which closes the monitoring): missing without a collected screen, mixed when collected screens disagree,
    /// positive when any is positive, else negative. Null when the detox has not ended.
    /// </summary>
    public static IReadOnlyList<UseWeek>? Of(EpisodeOutcome episode, DateOnly asOf)
    {
        if ((episode.CompletedOn ?? episode.DroppedOutOn) is not { } start) return null;
        var weeks = new WeekBuilder(asOf);
        weeks.Begin(start, episode.ReturnedOn);
        foreach (var screen in episode.Screens) weeks.Screen(screen.CollectedOn.DayNumber, screen.NonPrescribedOpioidPositive, screen.NotCollected);
        return weeks.Finish().ToList();
    }

    /// <summary>
    /// Builds an episode's weeks (<see cref="Of"/>) from its screens in one pass, in buffers kept from one episode to the
    /// next: week n is days 7(n-1) to 7n-1 from the start. A long follow-up has hundreds of weeks, and looking through every
    /// screen for each of them was most of a statistic's time.
    /// </summary>
    private sealed class WeekBuilder(DateOnly asOf)
    {
        private int start, ended;
        private int[] collected = new int[64], positive = new int[64];
        private UseWeek[] weeks = new UseWeek[64];

        /// <summary>A new episode whose weeks start on <paramref name="startOn"/> and end by the return (before asOf) or asOf.</summary>
        public void Begin(DateOnly startOn, DateOnly? returnedOn)
        {
            var end = returnedOn is { } returned && returned < asOf ? returned : asOf;
            (start, ended) = (startOn.DayNumber, Math.Max(0, (end.DayNumber - startOn.DayNumber) / 7));
            if (ended + 1 > weeks.Length)
            {
                var size = Math.Max(ended + 1, 2 * weeks.Length);
                (collected, positive, weeks) = (new int[size], new int[size], new UseWeek[size]);
            }
            Array.Clear(collected, 0, ended + 1);
            Array.Clear(positive, 0, ended + 1);
        }

        public void Screen(int day, bool isPositive, bool notCollected)
        {
            if (notCollected || day < start) return;
            var n = (day - start) / 7 + 1;
            if (n > ended) return;
            collected[n]++;
            if (isPositive) positive[n]++;
        }

        /// <summary>The episode's ended weeks, valid until the next <see cref="Begin"/>.</summary>
        public ArraySegment<UseWeek> Finish()
        {
            for (var n = 1; n <= ended; n++)
                weeks[n - 1] = collected[n] == 0 ? UseWeek.Missing
                    : positive[n] == 0 ? UseWeek.Negative
                    : positive[n] < collected[n] ? UseWeek.Mixed
                    : UseWeek.Positive;
            return new ArraySegment<UseWeek>(weeks, 0, ended);
        }
    }

    /// <summary>
    /// The time to the event (weeks, CTNote's time) or to censoring (the last week a complete window was judged) of a completed
    /// episode under <paramref name="definition"/>; null when the episode did not complete detox or is too short to judge.
    /// </summary>
    public static (int Weeks, bool Relapsed)? TimeTo(RelapseDefinition definition, EpisodeOutcome episode, DateOnly asOf) =>
        episode.CompletedOn is null || Of(episode, asOf) is not { } weeks ? null : TimeTo(definition, weeks);

    private static (int Weeks, bool Relapsed)? TimeTo(RelapseDefinition definition, IReadOnlyList<UseWeek> weeks)
    {
        var found = definition.Detect(weeks);
        if (found.Event) return (found.Week!.Value, true);
        return definition.CensoredAt(weeks.Count) is { } censored ? (censored, false) : null;
    }

    /// <summary>Kaplan-Meier curves, one per definition, over the completed episodes each can judge.</summary>
    public static IReadOnlyList<DefinitionSurvivalRow> Survival(IReadOnlyList<EpisodeOutcome> episodes,
        IReadOnlyList<RelapseDefinition> definitions, DateOnly asOf) =>
        Survival(definitions, Times(definitions, episodes, asOf));

    /// <summary>The Kaplan-Meier curves of each definition's times (<see cref="DefinitionTimes"/>, in the order of the definitions).</summary>
    public static IReadOnlyList<DefinitionSurvivalRow> Survival(IReadOnlyList<RelapseDefinition> definitions, DefinitionTimes times) =>
        times.Times.SelectMany((each, i) => OutcomeStatistics.KaplanMeier(each)
                .Select(s => new DefinitionSurvivalRow(definitions[i].Name, s.Day, s.AtRisk, s.Relapses, s.Censored, Math.Round(s.Survival, 4))))
            .ToList();

    /// <summary>The definitions side by side on the same completed episodes.</summary>
    public static IReadOnlyList<DefinitionComparisonRow> Comparison(IReadOnlyList<EpisodeOutcome> episodes,
        IReadOnlyList<RelapseDefinition> definitions, DateOnly asOf) =>
        Comparison(definitions, Times(definitions, episodes, asOf));

    /// <summary>The definitions side by side from each one's times on the same completed episodes.</summary>
    public static IReadOnlyList<DefinitionComparisonRow> Comparison(IReadOnlyList<RelapseDefinition> definitions, DefinitionTimes byDefinition)
    {
        var completed = byDefinition.Completed;
        return definitions.Select((d, i) =>
        {
            var times = byDefinition.Times[i];
            var events = times.Count(t => t.Relapsed);
            var curve = OutcomeStatistics.KaplanMeier(times);
            double? At(int week) => times.Count == 0 || week > times.Max(t => t.Days) ? null
                : Math.Round(curve.Where(s => s.Day <= week).Select(s => s.Survival).DefaultIfEmpty(1.0).Last(), 4);
            int? median = curve.FirstOrDefault(s => s.Survival <= 0.5) is { AtRisk: > 0 } half ? half.Day : null;
            return new DefinitionComparisonRow(d.Name, d.Reference, d.Outcome == DefinitionOutcome.Binary ? "binary" : "time-to-event",
                completed, times.Count, events, times.Count == 0 ? null : Math.Round((double)events / times.Count, 4), median,
                At(4), At(12), At(26));
        }).ToList();
    }

    /// <summary>
    /// Every ended week of every episode whose detox ended, de-identified: the patient as a pseudonym, the episode by its order
    /// among the patient's episodes (by detox start), weeks counted from the detox's end; no dates, no ids.
    /// </summary>
    public static IReadOnlyList<UsePatternRow> Rows(IEnumerable<PatientOutcomes> patients, CohortFilter filter, Pseudonyms pseudonyms,
        DateOnly asOf) =>
        patients.OrderBy(p => pseudonyms.Of(p.Id), StringComparer.Ordinal).SelectMany(p =>
        {
            var pseudonym = pseudonyms.Of(p.Id);
            var ordered = p.Episodes.Where(e => e.DetoxStartedOn is not null)
                .OrderBy(e => e.DetoxStartedOn).ThenBy(e => e.EpisodeId).ToList();
            return filter.Select(ordered).SelectMany(e =>
            {
                var episode = ordered.IndexOf(e) + 1;
                var outcome = e.CompletedOn is not null ? "completed" : "dropped-out";
                return (Of(e, asOf) ?? []).Select((week, i) => new UsePatternRow($"{pseudonym}-{episode}", pseudonym, episode, e.ClinicId,
                    e.CohortMedication ?? "unknown", outcome, i + 1, Kebab.Of(week), RelapseDefinitions.Symbol(week).ToString()));
            });
        }).ToList();

    /// <summary>Each definition's times over the completed episodes it can judge; each episode's weeks worked out once for all of them.</summary>
    public static DefinitionTimes Times(IReadOnlyList<RelapseDefinition> definitions, IEnumerable<EpisodeOutcome> episodes, DateOnly asOf)
    {
        var times = definitions.Select(_ => new List<(int Days, bool Relapsed)>()).ToArray();
        var completed = 0;
        foreach (var episode in episodes)
        {
            if (episode.CompletedOn is null) continue;
            completed++;
            if (Of(episode, asOf) is not { } weeks) continue;
            for (var i = 0; i < definitions.Count; i++)
                if (TimeTo(definitions[i], weeks) is { } time) times[i].Add(time);
        }
        return new DefinitionTimes(completed, times);
    }

    /// <summary>
    /// One completed episode's times under each definition as <see cref="Times"/> finds them, from the episode's packed screens
    /// as the cohort table holds them (<see cref="CohortAggregates.DefinitionTimes"/>): the weeks built in buffers kept from
    /// one episode to the next, no episode, screen or week list made per row.
    /// </summary>
    public sealed class TimesFold(IReadOnlyList<RelapseDefinition> definitions, DateOnly asOf)
    {
        private readonly List<(int Days, bool Relapsed)>[] times = definitions.Select(_ => new List<(int Days, bool Relapsed)>()).ToArray();
        private readonly WeekBuilder weeks = new(asOf);
        private int completed;

        /// <param name="screens">The episode's screens packed (<see cref="EpisodeCohorts.Pack"/>).</param>
        public void Add(DateOnly completedOn, DateOnly? returnedOn, ReadOnlySpan<byte> screens)
        {
            completed++;
            weeks.Begin(completedOn, returnedOn);
            for (var i = 0; i < screens.Length / 4; i++)
            {
                var (day, positive, notCollected) = EpisodeCohorts.Unpack(screens, i);
                weeks.Screen(day, positive, notCollected);
            }
            var pattern = weeks.Finish();
            for (var i = 0; i < definitions.Count; i++)
                if (TimeTo(definitions[i], pattern) is { } time) times[i].Add(time);
        }

        public DefinitionTimes Result() => new(completed, times);
    }
}

/// <summary>The completed episodes of a cohort, and each definition's times (weeks, relapsed) over those it can judge.</summary>
public sealed record DefinitionTimes(int Completed, IReadOnlyList<List<(int Days, bool Relapsed)>> Times);
