using Recovery.Timeline.Analytics;

namespace Recovery.Timeline.Tests;

/// <summary>The outcome statistics on small fixed cohorts, against answers worked out by hand (the arithmetic is in the comments).</summary>
public class OutcomeStatisticsTests
{
    private static readonly DateOnly January = new(2026, 1, 5);
    private static readonly DateOnly AsOf = new(2026, 9, 30);
    private static readonly DateTimeOffset FirstDose = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An episode whose detox started on <paramref name="start"/>, seen on the given days after it.</summary>
    private static EpisodeOutcome Episode(DateOnly start, IEnumerable<int> contactDays, string clinic = "clinic-a",
        string medication = "buprenorphine", int? droppedOutDay = null) => new()
    {
        EpisodeId = Guid.NewGuid(),
        ClinicId = clinic,
        Medication = medication,
        FirstDoseAt = new DateTimeOffset(start.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
        Contacts = contactDays.Select(d => start.AddDays(d)).ToList(),
        DroppedOutOn = droppedOutDay is { } d ? start.AddDays(d) : null,
    };

    private static IEnumerable<int> Every(int step, int through) => Enumerable.Range(0, through / step + 1).Select(i => i * step);

    [Fact]
    public void A_gap_of_exactly_the_limit_keeps_treatment_continuous_and_one_day_more_ends_it_at_the_last_contact()
    {
        // Contacts on days 0, 30 (gap 30: still continuous), 61 (gap 31: treatment had ended at day 30).
        var stay = OutcomeStatistics.StayOf(Episode(January, [0, 30, 61]), AsOf)!;

        Assert.Equal(30, stay.Days);
        Assert.False(stay.Ongoing);
    }

    [Fact]
    public void A_stay_is_ongoing_while_its_last_contact_is_within_the_gap_and_ends_at_the_dropout_day()
    {
        // Last contact 2026-09-24, six days before the count: ongoing, 14 days so far.
        var ongoing = OutcomeStatistics.StayOf(Episode(new DateOnly(2026, 9, 10), [0, 7, 14]), AsOf)!;
        Assert.Equal((14, true), (ongoing.Days, ongoing.Ongoing));

        // Seen on days 0, 5, 10, dropped out on day 20; a contact after the dropout (day 25) is not treatment.
        var dropped = OutcomeStatistics.StayOf(Episode(January, [0, 5, 10, 25], droppedOutDay: 20), AsOf)!;
        Assert.Equal((20, false), (dropped.Days, dropped.Ongoing));

        // No first dose, no stay: the episode never entered treatment.
        Assert.Null(OutcomeStatistics.StayOf(new EpisodeOutcome { ClinicId = "clinic-a" }, AsOf));
    }

    [Fact]
    public void Retention_counts_retained_and_evaluable_episodes_per_cohort_and_the_days_of_ended_stays()
    {
        EpisodeOutcome[] episodes =
        [
            // January cohort at clinic-a on buprenorphine:
            // A: seen every 10 days through day 200, last contact 2026-07-24, 68 days before the count: ended, 200 days.
            Episode(January, Every(10, 200)),
            // B: weekly through day 56, next contact day 100 (gap 44 > 30): ended at day 56.
            Episode(January, Every(7, 56).Append(100)),
            // C: seen days 0, 5, 10, dropped out day 20: ended, 20 days.
            Episode(January, [0, 5, 10], droppedOutDay: 20),
            // D: every 14 days through day 266 (2026-09-28, two days before the count): ongoing, 266 days.
            Episode(January, Every(14, 266)),
            // September cohort: E ongoing at 14 days, too short to say anything at 30 days yet.
            Episode(new DateOnly(2026, 9, 10), [0, 7, 14]),
            // Another clinic and medication: its own cohort. Seen on day 0 only, long ago: ended, 0 days.
            Episode(January, [0], clinic: "clinic-b", medication: "methadone"),
        ];

        var rows = OutcomeStatistics.Retention(episodes, AsOf);

        Assert.Equal(["clinic-a buprenorphine 2026-01", "clinic-a buprenorphine 2026-09", "clinic-b methadone 2026-01"],
            rows.Select(r => $"{r.Clinic} {r.Medication} {r.StartPeriod}"));
        var january = rows[0];
        Assert.Equal((4, 1), (january.Episodes, january.Ongoing));
        // At 30 days: A (200), B (56), D (266) retained; C ended at 20: evaluable 4, share 3/4.
        Assert.Equal((4, 3, 0.75), (january.Evaluable30, january.Retained30, january.Retained30Share));
        // At 90: A and D retained; B (56) and C (20) ended before: 2/4. At 180 the same two: 2/4.
        Assert.Equal((4, 2, 0.5), (january.Evaluable90, january.Retained90, january.Retained90Share));
        Assert.Equal((4, 2, 0.5), (january.Evaluable180, january.Retained180, january.Retained180Share));
        // Ended stays 20, 56, 200 (D is ongoing, left out). Quartiles by h = (n-1)p = 2p:
        // p25: h 0.5 -> 20 + 0.5 (56 - 20) = 38; median: h 1 -> 56; p75: h 1.5 -> 56 + 0.5 (200 - 56) = 128.
        Assert.Equal(3, january.Ended);
        Assert.Equal([20.0, 38.0, 56.0, 128.0, 200.0], [january.DaysMin!.Value, january.DaysP25!.Value, january.DaysMedian!.Value,
            january.DaysP75!.Value, january.DaysMax!.Value]);

        // September: E is ongoing at 14 days, so not evaluable at any horizon and no share; no ended stay, no quartiles.
        var september = rows[1];
        Assert.Equal((1, 1, 0, 0), (september.Episodes, september.Ongoing, september.Evaluable30, september.Retained30));
        Assert.Null(september.Retained30Share);
        Assert.Null(september.DaysMedian);

        var methadone = rows[2];
        Assert.Equal((1, 0, 0.0), (methadone.Evaluable30, methadone.Retained30, methadone.Retained30Share));
        Assert.Equal(0.0, methadone.DaysMedian);
    }

    /// <summary>A detox completed on <paramref name="completed"/>, then a relapse or a last observation some days later.</summary>
    private static EpisodeOutcome Completed(DateOnly completed, int? relapseDay = null, int? lastObservedDay = null, int? returnedDay = null,
        string clinic = "clinic-a", string medication = "buprenorphine") => new()
    {
        EpisodeId = Guid.NewGuid(),
        ClinicId = clinic,
        Medication = medication,
        FirstDoseAt = new DateTimeOffset(completed.AddDays(-10).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        CompletedOn = completed,
        RelapsedOn = relapseDay is { } r ? completed.AddDays(r) : null,
        LastObservedOn = completed.AddDays(lastObservedDay ?? relapseDay ?? 0),
        ReturnedOn = returnedDay is { } t ? completed.AddDays(t) : null,
    };

    [Fact]
    public void Kaplan_Meier_counts_relapses_before_censorings_on_the_same_day_and_keeps_censored_patients_at_risk_until_censored()
    {
        var asOf = new DateOnly(2026, 6, 1);
        // Seven completions on different days; what counts is the time from each one's completion.
        EpisodeOutcome[] episodes =
        [
            Completed(new DateOnly(2026, 1, 10), relapseDay: 10),
            Completed(new DateOnly(2026, 2, 1), relapseDay: 10),
            Completed(new DateOnly(2026, 2, 3), lastObservedDay: 10),                  // censored day 10, tied with two relapses
            Completed(new DateOnly(2026, 1, 20), relapseDay: 20),
            Completed(new DateOnly(2026, 3, 1), lastObservedDay: 40, returnedDay: 25), // back in treatment on day 25: censored there
            Completed(new DateOnly(2026, 1, 5), relapseDay: 30),
            Completed(asOf.AddDays(-40), lastObservedDay: 60),                          // still followed: censored at the count, day 40
        ];

        var rows = OutcomeStatistics.RelapseSurvival(episodes, "medication", e => e.CohortMedication!, asOf);

        // Day 10: 7 at risk (the one censored on day 10 still counts), 2 relapses: S = 1 - 2/7 = 5/7.
        // Day 20: 7 - 2 - 1 = 4 at risk, 1 relapse: S = 5/7 x 3/4 = 15/28.
        // Day 25: 3 at risk, 1 censored: S stays 15/28.
        // Day 30: 2 at risk, 1 relapse: S = 15/28 x 1/2 = 15/56.
        // Day 40: 1 at risk, 1 censored: S stays 15/56.
        // (Censoring before relapses on day 10 would have given 1 - 2/6 = 2/3 instead.)
        AssertSteps(
        [
            (10, 7, 2, 1, 5.0 / 7),
            (20, 4, 1, 0, 15.0 / 28),
            (25, 3, 0, 1, 15.0 / 28),
            (30, 2, 1, 0, 15.0 / 56),
            (40, 1, 0, 1, 15.0 / 56),
        ], rows);
        Assert.All(rows, r => Assert.Equal(("medication", "buprenorphine"), (r.GroupBy, r.Group)));
    }

    [Fact]
    public void Kaplan_Meier_draws_one_curve_per_clinic_and_leaves_out_episodes_that_never_completed_detox()
    {
        var completed = new DateOnly(2026, 2, 1);
        EpisodeOutcome[] episodes =
        [
            // North: relapses on days 5 and 15, one censored on day 15 (same day as a relapse), one censored on day 30.
            Completed(completed, relapseDay: 5, clinic: "clinic-north"),
            Completed(completed, relapseDay: 15, clinic: "clinic-north"),
            Completed(completed, lastObservedDay: 15, clinic: "clinic-north"),
            Completed(completed, lastObservedDay: 30, clinic: "clinic-north"),
            // South: two completions never seen again after completion: both censored on day 0.
            Completed(completed, clinic: "clinic-south"),
            Completed(completed, clinic: "clinic-south"),
            // Dropped out, never completed: not in the analysis of time after completion.
            Episode(completed.AddDays(-20), [0, 1], clinic: "clinic-south", droppedOutDay: 3),
        ];

        var rows = OutcomeStatistics.RelapseSurvival(episodes, "clinic", e => e.ClinicId, new DateOnly(2026, 6, 1));

        // North: day 5: 4 at risk, 1 relapse: S = 3/4. Day 15: 3 at risk, 1 relapse and 1 censored: S = 3/4 x 2/3 = 1/2.
        // Day 30: 1 at risk, censored: S stays 1/2. South: day 0: 2 at risk, 2 censored: S = 1.
        Assert.Equal(["clinic-north", "clinic-north", "clinic-north", "clinic-south"], rows.Select(r => r.Group));
        AssertSteps(
        [
            (5, 4, 1, 0, 0.75),
            (15, 3, 1, 1, 0.5),
            (30, 1, 0, 1, 0.5),
            (0, 2, 0, 2, 1.0),
        ], rows);
    }

    /// <summary>Counts exactly; survival as reported, to four decimals (5/7 = 0.7143, 15/28 = 0.5357, 15/56 = 0.2679).</summary>
    private static void AssertSteps(IReadOnlyList<(int Day, int AtRisk, int Relapses, int Censored, double Survival)> expected,
        IReadOnlyList<SurvivalRow> rows)
    {
        Assert.Equal(expected.Select(e => (e.Day, e.AtRisk, e.Relapses, e.Censored)), rows.Select(r => (r.Day, r.AtRisk, r.Relapses, r.Censored)));
        Assert.All(expected.Zip(rows), pair => Assert.Equal(Math.Round(pair.First.Survival, 4), pair.Second.Survival));
    }

    [Fact]
    public void The_withdrawal_trajectory_takes_one_score_per_patient_and_whole_hour_since_the_first_dose()
    {
        static EpisodeOutcome Induction(string medication, params (double Hours, int Total)[] scores) => new()
        {
            EpisodeId = Guid.NewGuid(),
            ClinicId = "clinic-a",
            Medication = medication,
            InductionMedication = medication,
            FirstDoseAt = FirstDose,
            Cows = scores.Select(s => new CowsScore(FirstDose.AddHours(s.Hours), s.Total)).ToList(),
        };

        EpisodeOutcome[] episodes =
        [
            // Hour -1: 14. Hour 0: 10 at 45 min, then 8 at 50 min: the last one, 8, counts. Hour 2: 5 (2 h 10 min).
            Induction("buprenorphine", (-0.5, 14), (0.75, 10), (50 / 60.0, 8), (2 + 10 / 60.0, 5)),
            // Hour -1: 12. Hour 0: 6. Hour 2: 4 (exactly 2 h falls in hour 2).
            Induction("buprenorphine", (-10 / 60.0, 12), (20 / 60.0, 6), (2, 4)),
            // Hour -1: 20 (59 min before). Hour 0: 9 (59 min after). 25 h before and 72 h after are outside the window.
            Induction("buprenorphine", (-59 / 60.0, 20), (59 / 60.0, 9), (-25, 30), (72, 2)),
            Induction("methadone", (0, 15)),
        ];

        var rows = OutcomeStatistics.InductionWithdrawal(episodes);

        // Quartiles by h = (n - 1) p. Hour -1: [12, 14, 20]: p25 h 0.5 -> 13; median 14; p75 h 1.5 -> 14 + 0.5 x 6 = 17.
        // Hour 0: [6, 8, 9]: p25 -> 7; median 8; p75 -> 8.5. Hour 2: [4, 5]: h 0.25, 0.5, 0.75 -> 4.25, 4.5, 4.75.
        Assert.Equal(
        [
            new InductionWithdrawalRow("buprenorphine", -1, 3, 13, 14, 17),
            new InductionWithdrawalRow("buprenorphine", 0, 3, 7, 8, 8.5),
            new InductionWithdrawalRow("buprenorphine", 2, 2, 4.25, 4.5, 4.75),
            new InductionWithdrawalRow("methadone", 0, 1, 15, 15, 15),
        ], rows);
    }

    [Fact]
    public void Screen_positivity_is_by_week_since_completion_and_leaves_screens_not_collected_out_of_the_share()
    {
        var completed = new DateOnly(2026, 4, 1);
        ScreenResult Screen(int day, bool positive = false, bool notCollected = false) => new(completed.AddDays(day), positive, notCollected);
        EpisodeOutcome[] episodes =
        [
            Completed(completed) with
            {
                Screens = [Screen(-3, positive: true), Screen(0, positive: true), Screen(6), Screen(7, positive: true), Screen(13, notCollected: true)],
            },
            Completed(completed) with { Screens = [Screen(2), Screen(8, positive: true), Screen(20, notCollected: true)] },
            // Dropped out: not completed, its screens are not "after completion".
            Episode(completed.AddDays(-20), [0], droppedOutDay: 5) with { Screens = [Screen(3, positive: true)] },
        ];

        var rows = OutcomeStatistics.ScreenPositivity(episodes);

        // Week 0 (days 0-6): day 0 positive, day 6 negative, day 2 negative: 1 of 3 = 0.3333 (the screen 3 days before completion is left out).
        // Week 1 (days 7-13): day 7 positive, day 8 positive, day 13 not collected: 2 of 2, 1 not collected.
        // Week 2: only a screen not collected: no share. The last column is how many episodes each week's screens come from.
        Assert.Equal(
        [
            new ScreenPositivityRow("buprenorphine", 0, 3, 1, 0, 0.3333, 2),
            new ScreenPositivityRow("buprenorphine", 1, 2, 2, 1, 1.0, 2),
            new ScreenPositivityRow("buprenorphine", 2, 0, 0, 1, null, 1),
        ], rows);
    }

    [Fact]
    public void A_cohort_filter_selects_by_clinic_medication_and_the_day_detox_started()
    {
        EpisodeOutcome[] episodes =
        [
            Episode(new DateOnly(2026, 1, 31), [0]),
            Episode(new DateOnly(2026, 2, 1), [0]),
            Episode(new DateOnly(2026, 2, 28), [0], medication: "methadone"),
            Episode(new DateOnly(2026, 2, 15), [0], clinic: "clinic-b"),
            new EpisodeOutcome { ClinicId = "clinic-a", Medication = "buprenorphine" }, // never started detox
        ];

        var february = new CohortFilter("clinic-a", null, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)).Select(episodes).ToList();
        Assert.Equal([episodes[1], episodes[2]], february);
        Assert.Equal([episodes[1]], new CohortFilter("clinic-a", "buprenorphine", new DateOnly(2026, 2, 1)).Select(episodes));
        Assert.Equal(4, new CohortFilter().Select(episodes).Count());
    }

    [Fact]
    public void Tables_export_as_csv_with_a_header_and_as_one_json_object_per_line()
    {
        ScreenPositivityRow[] rows = [new("buprenorphine", 0, 3, 1, 0, 0.25, 3), new("methadone", 2, 0, 0, 1, null, 1)];

        Assert.Equal("medication,week,collected,positive,notCollected,positiveShare,episodes\r\nbuprenorphine,0,3,1,0,0.25,3\r\nmethadone,2,0,0,1,,1\r\n",
            TableExport.Csv(rows));
        Assert.Equal("""
            {"medication":"buprenorphine","week":0,"collected":3,"positive":1,"notCollected":0,"positiveShare":0.25,"episodes":3}
            {"medication":"methadone","week":2,"collected":0,"positive":0,"notCollected":1,"positiveShare":null,"episodes":1}

            """.ReplaceLineEndings("\n"), TableExport.Ndjson(rows));
    }
}
