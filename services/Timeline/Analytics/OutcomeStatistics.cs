using System.Globalization;

namespace Recovery.Timeline.Analytics;

/// <summary>Which episodes a statistic counts: an episode enters the analytics when its detox starts (first dose).</summary>
public sealed record CohortFilter(string? ClinicId = null, string? Medication = null, DateOnly? From = null, DateOnly? To = null)
{
    public IEnumerable<EpisodeOutcome> Select(IEnumerable<EpisodeOutcome> episodes, Func<EpisodeOutcome, string?>? medicationOf = null) =>
        episodes.Where(e => e.DetoxStartedOn is { } start &&
                            (ClinicId is null || e.ClinicId == ClinicId) &&
                            (Medication is null || (medicationOf ?? (x => x.CohortMedication))(e) == Medication) &&
                            (From is null || start >= From) && (To is null || start <= To));
}

/// <summary>How long an episode stayed in continuous treatment, and whether it is still going on.</summary>
public sealed record TreatmentStay(DateOnly Start, int Days, bool Ongoing);

/// <summary>A stay as far as it does not depend on the day of the count (see <see cref="OutcomeStatistics.PartsOf"/>).</summary>
public sealed record StayParts(DateOnly Start, int Days, DateOnly LastContact, bool Ended);

/// <summary>A row of a statistic and how many distinct patients it is computed from: what the small-cell rule counts.</summary>
public sealed record Counted<TRow>(TRow Row, int Patients);

public sealed record RetentionRow(
    string Clinic, string Medication, string StartPeriod, int Episodes, int Ongoing,
    int Evaluable30, int Retained30, double? Retained30Share,
    int Evaluable90, int Retained90, double? Retained90Share,
    int Evaluable180, int Retained180, double? Retained180Share,
    int Ended, double? DaysMin, double? DaysP25, double? DaysMedian, double? DaysP75, double? DaysMax);

/// <summary>One step of a Kaplan-Meier table: at <see cref="Day"/> after completion, who was at risk, relapsed, was censored.</summary>
public sealed record SurvivalRow(string GroupBy, string Group, int Day, int AtRisk, int Relapses, int Censored, double Survival);

public sealed record InductionWithdrawalRow(string Medication, int Hour, int Patients, double P25, double Median, double P75);

public sealed record ScreenPositivityRow(string Medication, int Week, int Collected, int Positive, int NotCollected, double? PositiveShare,
    int Episodes);

/// <summary>The outcome statistics, as pure functions of episodes and the day they are computed on.</summary>
public static class OutcomeStatistics
{
    /// <summary>
    /// Continuous treatment: from the first dose (detox start) through the patient's contacts with the clinic (doses, COWS
    /// checks, collected urine screens, attended counseling or group meetings, completion) until the first gap of more than
    /// <see cref="GapDays"/> days between contacts, or the dropout. Completing detox does not end it: a patient who keeps
    /// coming to screens and counseling is still in treatment; one never seen again after completion leaves at completion.
    /// The days in treatment run from the start to the last contact before the gap (or to the dropout). A stay is ongoing
    /// while it has not dropped out and its last contact is at most <see cref="GapDays"/> days before the day of the count.
    /// 30 days follows the common "no contact for a month" discontinuation threshold; NQF 3175 uses a 7-day gap in
    /// medication, which does not fit here because follow-up after detox carries no medication.
    /// </summary>
    public const int GapDays = 30;

    public static readonly IReadOnlyList<int> RetentionDays = [30, 90, 180];

    public static TreatmentStay? StayOf(EpisodeOutcome episode, DateOnly asOf) => PartsOf(episode) is { } parts ? Stay(parts, asOf) : null;

    /// <summary>
    /// What a stay is whatever the day of the count: its start, its days, the last contact before a gap (or the start), and
    /// whether a gap or the dropout ended it. The episode's cohort summary keeps these, so a count reads no contacts.
    /// </summary>
    public static StayParts? PartsOf(EpisodeOutcome episode)
    {
        if (episode.DetoxStartedOn is not { } start) return null;
        var last = start;
        var broken = false;
        foreach (var contact in episode.Contacts.Where(c => c > start && (episode.DroppedOutOn is not { } d || c <= d)))
        {
            if (contact.DayNumber - last.DayNumber > GapDays) { broken = true; break; }
            last = contact;
        }
        if (!broken && episode.DroppedOutOn is { } dropped && dropped >= last)
            return new StayParts(start, dropped.DayNumber - start.DayNumber, last, Ended: true);
        return new StayParts(start, last.DayNumber - start.DayNumber, last, Ended: broken || episode.DroppedOutOn is not null);
    }

    /// <summary>The stay on the day of the count: ongoing while not ended and last seen at most <see cref="GapDays"/> days before.</summary>
    public static TreatmentStay Stay(StayParts parts, DateOnly asOf) =>
        new(parts.Start, parts.Days, Ongoing: !parts.Ended && asOf.DayNumber - parts.LastContact.DayNumber <= GapDays);

    /// <summary>
    /// Retention per cohort (clinic, medication, month of detox start "yyyy-MM"). Retained at N days: continuous treatment
    /// lasted at least N days. Evaluable at N: retained, or ended before N; an ongoing stay shorter than N is not known yet and
    /// counts in neither (so the share is retained / evaluable). The distribution of days is over ended stays only, whose days
    /// are final.
    /// </summary>
    public static IReadOnlyList<RetentionRow> Retention(IEnumerable<EpisodeOutcome> episodes, DateOnly asOf) =>
        Retention(episodes.Select(e => (e, StayOf(e, asOf))).Where(x => x.Item2 is not null).Select(x => (x.e, x.Item2!)))
            .Select(c => c.Row).ToList();

    /// <summary>Retention over episodes whose stays are known (from their contacts or their cohort summary), with each row's patients.</summary>
    public static IReadOnlyList<Counted<RetentionRow>> Retention(IEnumerable<(EpisodeOutcome Episode, TreatmentStay Stay)> stays) =>
        stays
            .GroupBy(x => (x.Episode.ClinicId, Medication: x.Episode.CohortMedication ?? "unknown", Period: Period(x.Stay.Start)))
            .OrderBy(g => g.Key.ClinicId, StringComparer.Ordinal).ThenBy(g => g.Key.Medication, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Period, StringComparer.Ordinal)
            .Select(g =>
            {
                var stays = g.Select(x => x.Stay).ToList();
                var at = RetentionDays.Select(n =>
                {
                    var retained = stays.Count(s => s.Days >= n);
                    var evaluable = retained + stays.Count(s => !s.Ongoing && s.Days < n);
                    return (Evaluable: evaluable, Retained: retained, Share: Share(retained, evaluable));
                }).ToList();
                var ended = stays.Where(s => !s.Ongoing).Select(s => (double)s.Days).Order().ToList();
                return new Counted<RetentionRow>(new RetentionRow(g.Key.ClinicId, g.Key.Medication, g.Key.Period, stays.Count, stays.Count(s => s.Ongoing),
                    at[0].Evaluable, at[0].Retained, at[0].Share, at[1].Evaluable, at[1].Retained, at[1].Share,
                    at[2].Evaluable, at[2].Retained, at[2].Share,
                    ended.Count, Quantile(ended, 0), Quantile(ended, 0.25), Quantile(ended, 0.5), Quantile(ended, 0.75), Quantile(ended, 1)),
                    g.Select(x => x.Episode.PatientId).Distinct().Count());
            })
            .ToList();

    /// <summary>
    /// Time to relapse after detox completion, for completed episodes: an event at the relapse day; otherwise censored at the
    /// last observation (the return to treatment if earlier, never after <paramref name="asOf"/>), so a patient still
    /// followed counts as at risk until then instead of being dropped. Days from the completion day, at least 0.
    /// </summary>
    public static (int Days, bool Relapsed)? TimeToRelapse(EpisodeOutcome episode, DateOnly asOf)
    {
        if (episode.CompletedOn is not { } completed) return null;
        if (episode.RelapsedOn is { } relapsed) return (Math.Max(0, relapsed.DayNumber - completed.DayNumber), true);
        var end = episode.LastObservedOn;
        if (episode.ReturnedOn is { } returned && returned < end) end = returned;
        if (asOf < end) end = asOf;
        return (Math.Max(0, end.DayNumber - completed.DayNumber), false);
    }

    /// <summary>Kaplan-Meier curves of time to relapse, one per group (medication or clinic).</summary>
    public static IReadOnlyList<SurvivalRow> RelapseSurvival(IEnumerable<EpisodeOutcome> episodes, string groupBy,
        Func<EpisodeOutcome, string> groupOf, DateOnly asOf) =>
        RelapseSurvival(episodes
            .Select(e => (Group: groupOf(e), Time: TimeToRelapse(e, asOf)))
            .Where(x => x.Time is not null)
            .Select(x => (x.Group, x.Time!.Value.Days, x.Time!.Value.Relapsed)), groupBy);

    /// <summary>Kaplan-Meier curves, one per group, from each completed episode's group and time to relapse or censoring.</summary>
    public static IReadOnlyList<SurvivalRow> RelapseSurvival(IEnumerable<(string Group, int Days, bool Relapsed)> times, string groupBy) =>
        times
            .GroupBy(x => x.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => KaplanMeier(g.Select(x => (x.Days, x.Relapsed)))
                .Select(s => new SurvivalRow(groupBy, g.Key, s.Day, s.AtRisk, s.Relapses, s.Censored, Reported(s.Survival))))
            .ToList();

    /// <summary>
    /// The product-limit estimate S(t) = Π (1 - d_i / n_i) over the days with relapses, one row per day with a relapse or a
    /// censoring. Ties: relapses on a day come before censorings on the same day (the usual convention), so those censored
    /// on day t are still at risk at t.
    /// </summary>
    public static IReadOnlyList<(int Day, int AtRisk, int Relapses, int Censored, double Survival)> KaplanMeier(
        IEnumerable<(int Days, bool Relapsed)> observations)
    {
        var all = observations.ToList();
        var atRisk = all.Count;
        var survival = 1.0;
        var rows = new List<(int, int, int, int, double)>();
        foreach (var day in all.GroupBy(o => o.Days).OrderBy(g => g.Key))
        {
            var relapses = day.Count(o => o.Relapsed);
            var censored = day.Count() - relapses;
            survival *= 1 - (double)relapses / atRisk;
            rows.Add((day.Key, atRisk, relapses, censored, survival));
            atRisk -= relapses + censored;
        }
        return rows;
    }

    /// <summary>
    /// COWS during induction by the first dose's medication: each score falls in the whole hour since the first dose, rounded
    /// down (hour 0 = the first 60 minutes after it, hour -1 = the hour before it), from <see cref="InductionHoursBefore"/>
    /// hours before to <see cref="InductionHoursAfter"/> hours after. A patient counts once per hour, with the last score in it.
    /// </summary>
    public static IReadOnlyList<InductionWithdrawalRow> InductionWithdrawal(IEnumerable<EpisodeOutcome> episodes) =>
        episodes
            .Where(e => e.FirstDoseAt is not null)
            .SelectMany(e => e.Cows
                .Select(c => (Hour: (int)Math.Floor((c.ScoredAt - e.FirstDoseAt!.Value).TotalHours), c.ScoredAt, c.Total))
                .Where(c => c.Hour >= -InductionHoursBefore && c.Hour < InductionHoursAfter)
                .GroupBy(c => c.Hour)
                .Select(h => (Medication: e.InductionMedication ?? e.CohortMedication ?? "unknown", h.Key,
                    Total: h.MaxBy(c => c.ScoredAt).Total)))
            .GroupBy(x => (x.Medication, Hour: x.Key))
            .OrderBy(g => g.Key.Medication, StringComparer.Ordinal).ThenBy(g => g.Key.Hour)
            .Select(g =>
            {
                var totals = g.Select(x => (double)x.Total).Order().ToList();
                return new InductionWithdrawalRow(g.Key.Medication, g.Key.Hour, totals.Count,
                    Quantile(totals, 0.25)!.Value, Quantile(totals, 0.5)!.Value, Quantile(totals, 0.75)!.Value);
            })
            .ToList();

    public const int InductionHoursBefore = 24;
    public const int InductionHoursAfter = 72;

    /// <summary>
    /// Urine screens of completed episodes by week since completion (week 0 = days 0-6 after the completion day). A screen not
    /// collected is counted apart and left out of the share, which is positive for non-prescribed opioids / collected.
    /// </summary>
    public static IReadOnlyList<ScreenPositivityRow> ScreenPositivity(IEnumerable<EpisodeOutcome> episodes) =>
        CountedScreenPositivity(episodes).Select(c => c.Row).ToList();

    /// <summary>Screen positivity with each week's patients (an episode counts once a week, a patient once however many episodes).</summary>
    public static IReadOnlyList<Counted<ScreenPositivityRow>> CountedScreenPositivity(IEnumerable<EpisodeOutcome> episodes) =>
        episodes
            .Where(e => e.CompletedOn is not null)
            .SelectMany(e => e.Screens
                .Where(s => s.CollectedOn >= e.CompletedOn!.Value)
                .Select(s => (Medication: e.CohortMedication ?? "unknown", Week: (s.CollectedOn.DayNumber - e.CompletedOn!.Value.DayNumber) / 7, Screen: s,
                    Episode: e.EpisodeId, Patient: e.PatientId)))
            .GroupBy(x => (x.Medication, x.Week))
            .OrderBy(g => g.Key.Medication, StringComparer.Ordinal).ThenBy(g => g.Key.Week)
            .Select(g =>
            {
                var collected = g.Count(x => !x.Screen.NotCollected);
                var positive = g.Count(x => !x.Screen.NotCollected && x.Screen.NonPrescribedOpioidPositive);
                return new Counted<ScreenPositivityRow>(new ScreenPositivityRow(g.Key.Medication, g.Key.Week, collected, positive, g.Count() - collected,
                    Share(positive, collected), g.Select(x => x.Episode).Distinct().Count()), g.Select(x => x.Patient).Distinct().Count());
            })
            .ToList();

    /// <summary>
    /// The p-quantile of ascending values by linear interpolation between closest ranks (R's type 7, Excel's PERCENTILE.INC):
    /// h = (n - 1) p, value = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋]).
    /// </summary>
    public static double? Quantile(IReadOnlyList<double> ascending, double p)
    {
        if (ascending.Count == 0) return null;
        var h = (ascending.Count - 1) * p;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, ascending.Count - 1);
        return ascending[below] + (h - below) * (ascending[above] - ascending[below]);
    }

    internal static double? Share(int part, int whole) => whole == 0 ? null : Reported((double)part / whole);

    /// <summary>Shares and survival are reported to four decimals (hundredths of a percent); more would be false precision.</summary>
    private static double Reported(double value) => Math.Round(value, 4);

    private static string Period(DateOnly start) => start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
