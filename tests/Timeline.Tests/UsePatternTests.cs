using Recovery.Clinical;
using Recovery.Timeline.Analytics;

namespace Recovery.Timeline.Tests;

/// <summary>
/// Relapse under the field's definitions from the network record's screens: the weekly pattern, the Kaplan-Meier tables per
/// definition and their comparison on one cohort, and the de-identified weekly export, on small cohorts worked out by hand.
/// </summary>
public class UsePatternTests
{
    private static readonly DateOnly Completed = new(2026, 3, 2);
    private static readonly DateOnly AsOf = Completed.AddDays(7 * 10 + 3); // 10 weeks have ended, week 11 is in progress

    /// <summary>A completed episode whose week n (1-based, from the completion day) has the screens of <paramref name="word"/>'s n-th symbol.</summary>
    private static EpisodeOutcome Episode(string word, string medication = "buprenorphine", DateOnly? returnedOn = null, bool droppedOut = false) => new()
    {
        EpisodeId = Guid.NewGuid(),
        ClinicId = "clinic-a",
        Medication = medication,
        FirstDoseAt = new DateTimeOffset(Completed.AddDays(-14).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero),
        CompletedOn = droppedOut ? null : Completed,
        DroppedOutOn = droppedOut ? Completed : null,
        ReturnedOn = returnedOn,
        Screens = word.SelectMany((symbol, i) => Screens(symbol, Completed.AddDays(7 * i + 2))).ToList(),
    };

    private static IEnumerable<ScreenResult> Screens(char symbol, DateOnly on) => symbol switch
    {
        '+' => [new ScreenResult(on, true, false)],
        '-' => [new ScreenResult(on, false, false)],
        '*' => [new ScreenResult(on, true, false), new ScreenResult(on.AddDays(2), false, false)],
        _ => [new ScreenResult(on, false, NotCollected: true)], // o: a visit without a sample is still missing
    };

    [Fact]
    public void The_pattern_is_the_ended_weeks_after_detox_in_the_ctn_0094_coding() =>
        // 10 ended weeks; a screen dated in week 11 is not yet a week of the pattern.
        Assert.Equal("+-o*------", RelapseDefinitions.Word(UsePatterns.Of(Episode("+-o*-------"), AsOf)!));

    [Fact]
    public void A_week_is_days_0_to_6_from_the_completion_and_a_screen_before_it_is_not_in_the_pattern()
    {
        // Day 6 is the last of week 1, day 7 the first of week 2; the day before the completion belongs to no week.
        var episode = Episode("oooooooooo") with
        {
            Screens = [new ScreenResult(Completed.AddDays(-1), true, false), new ScreenResult(Completed.AddDays(6), false, false),
                new ScreenResult(Completed.AddDays(7), true, false)],
        };
        Assert.Equal("-+oooooooo", RelapseDefinitions.Word(UsePatterns.Of(episode, AsOf)!));
    }

    [Fact]
    public void A_return_to_treatment_closes_the_pattern_and_no_detox_end_gives_none()
    {
        // Returned on day 30: weeks 1-4 ended (days 0-27), week 5 had not.
        Assert.Equal("++++", RelapseDefinitions.Word(UsePatterns.Of(Episode("++++++++++", returnedOn: Completed.AddDays(30)), AsOf)!));
        Assert.Null(UsePatterns.Of(new EpisodeOutcome { ClinicId = "clinic-a" }, AsOf));
    }

    [Fact]
    public void Each_definition_times_its_event_or_censors_at_the_last_complete_window()
    {
        var episode = Episode("--+-+oo---");
        // CTN-0094 relapse: weeks 5-8 = + o o - : 3, never 4; 10 weeks censored at week 7 (10 - 4 + 1).
        Assert.Equal((7, false), UsePatterns.TimeTo(RelapseDefinitions.Ctn0094Relapse, episode, AsOf));
        // Lee 2016: the window of weeks 1-4 (- - + -) holds 1 positive, weeks 2-5 (- + - +) hold 2: week 2.
        Assert.Equal((2, true), UsePatterns.TimeTo(RelapseDefinitions.Lee2016, episode, AsOf));
        // Krupitsky: weeks 5-7 = + o o : 3 in a row with missing as positive: week 5.
        Assert.Equal((5, true), UsePatterns.TimeTo(RelapseDefinitions.Krupitsky2004, episode, AsOf));
        // Dropout: o o is 2 missing weeks: censored at 7.
        Assert.Equal((7, false), UsePatterns.TimeTo(RelapseDefinitions.Ctn0094Dropout, episode, AsOf));
        // A dropout from detox is not in the completed cohort.
        Assert.Null(UsePatterns.TimeTo(RelapseDefinitions.Lee2016, Episode("++++++++++", droppedOut: true), AsOf));
    }

    [Fact]
    public void An_episode_too_short_for_one_window_is_left_out_unless_its_event_is_already_there()
    {
        // Returned on day 21: 3 ended weeks, too short for a 4-week window.
        Assert.Null(UsePatterns.TimeTo(RelapseDefinitions.Ctn0094Relapse, Episode("---", returnedOn: Completed.AddDays(21)), AsOf));
        // Lee 2016's 2 positives in weeks 1-2 already hold it.
        Assert.Equal((1, true), UsePatterns.TimeTo(RelapseDefinitions.Lee2016, Episode("++-", returnedOn: Completed.AddDays(21)), AsOf));
    }

    [Fact]
    public void The_survival_tables_put_the_definitions_side_by_side_on_the_same_cohort()
    {
        EpisodeOutcome[] cohort = [Episode("++++------"), Episode("-+-+------"), Episode("----------"), Episode("+++-------")];
        var rows = UsePatterns.Survival(cohort, [RelapseDefinitions.Ctn0094Relapse, RelapseDefinitions.Lee2016], AsOf);
        // CTN-0094: one relapse at week 1 (4 at risk: S = 3/4), the other three censored at week 7.
        Assert.Equal([new DefinitionSurvivalRow("ctn-0094-relapse@1", 1, 4, 1, 0, 0.75), new DefinitionSurvivalRow("ctn-0094-relapse@1", 7, 3, 0, 3, 0.75)],
            rows.Where(r => r.Definition == "ctn-0094-relapse@1"));
        // Lee 2016: ++++, +++- and -+-+ all hold 2 positives in weeks 1-4: 3 of 4 relapse at week 1, S = 1/4; one censored at 7.
        Assert.Equal([new DefinitionSurvivalRow("lee-2016@1", 1, 4, 3, 0, 0.25), new DefinitionSurvivalRow("lee-2016@1", 7, 1, 0, 1, 0.25)],
            rows.Where(r => r.Definition == "lee-2016@1"));
    }

    [Fact]
    public void The_fold_over_packed_screens_times_every_definition_as_the_episodes_do()
    {
        // Random patterns (some screens before the completion, some missing, some mixed weeks) and, in pairs, a screen on the
        // last day of week 1 and on the first of week 2, the last day of the last ended week and the first of the week in
        // progress, the day before the completion and the day itself, a return on the day of the count and the day before,
        // an episode of no ended week and one of one.
        var random = new Random(5);
        var symbols = "+-o*";
        var cohort = Enumerable.Range(0, 300).Select(_ => Episode(string.Concat(Enumerable.Range(0, random.Next(14)).Select(_ => symbols[random.Next(4)])),
                returnedOn: random.Next(4) == 0 ? Completed.AddDays(random.Next(80)) : null))
            .Select(e => random.Next(5) == 0 ? e with { Screens = e.Screens.Prepend(new ScreenResult(Completed.AddDays(-3), true, false)).ToList() } : e)
            .ToList();
        // Negative every week, positive in the two weeks named: a positive screen in the week before them makes three weeks in a
        // row (Krupitsky, Schottenfeld find their event), one a week later does not.
        EpisodeOutcome With(int[] positiveWeeks, int day, DateOnly? returnedOn = null) => Episode("", returnedOn: returnedOn) with
        {
            Screens = Enumerable.Range(0, 10).Select(w => new ScreenResult(Completed.AddDays(7 * w + 3), false, false))
                .Concat(positiveWeeks.Select(w => new ScreenResult(Completed.AddDays(7 * (w - 1) + 4), true, false)))
                .Append(new ScreenResult(Completed.AddDays(day), true, false)).OrderBy(s => s.CollectedOn).ToList(),
        };
        cohort.AddRange([
            With([2, 3], 6), With([2, 3], 7), // the last day of week 1, the first of week 2
            With([2, 3], 0), With([2, 3], -1), // the completion day, the day before it
            With([8, 9], 69), With([8, 9], 70), // the last day of the last ended week (10), the first of week 11 in progress
            With([8, 9], 66, Completed.AddDays(70)), With([8, 9], 66, Completed.AddDays(69)), // returned after 10 weeks, after 9
            With([8, 9], 66, AsOf), With([8, 9], 66, AsOf.AddDays(-1)), // returned on the day of the count, the day before
            Episode("+") with { ReturnedOn = Completed.AddDays(6) }, Episode("+") with { ReturnedOn = Completed.AddDays(7) }, // no week ended, one
            Episode("++++", droppedOut: true)]);

        var fold = new UsePatterns.TimesFold(RelapseDefinitions.All, AsOf);
        foreach (var e in cohort.Where(e => e.CompletedOn is not null)) fold.Add(e.CompletedOn!.Value, e.ReturnedOn, EpisodeCohorts.Pack(e.Screens));
        var folded = fold.Result();
        var expected = UsePatterns.Times(RelapseDefinitions.All, cohort, AsOf);
        Assert.Equal(expected.Completed, folded.Completed);
        Assert.Equal(expected.Times.Select(t => t.ToList()), folded.Times.Select(t => t.ToList()));
        Assert.Equal(UsePatterns.Survival(cohort, RelapseDefinitions.All, AsOf), UsePatterns.Survival(RelapseDefinitions.All, folded));
        Assert.Equal(UsePatterns.Comparison(cohort, RelapseDefinitions.All, AsOf), UsePatterns.Comparison(RelapseDefinitions.All, folded));
        Assert.Contains(folded.Times[0], t => t.Relapsed);
        Assert.Contains(folded.Times[0], t => !t.Relapsed);
    }

    [Fact]
    public void Packed_screens_keep_each_screens_day_and_flags()
    {
        ScreenResult[] screens = [new(new DateOnly(2020, 1, 1), true, false), new(new DateOnly(2026, 12, 31), false, true), new(DateOnly.MinValue, false, false),
            new(new DateOnly(2100, 6, 30), true, true)];
        var packed = EpisodeCohorts.Pack(screens);
        Assert.Equal(4 * screens.Length, packed.Length);
        Assert.Equal(screens.Select(s => (s.CollectedOn.DayNumber, s.NonPrescribedOpioidPositive, s.NotCollected)),
            screens.Select((_, i) => EpisodeCohorts.Unpack(packed, i)));
    }

    [Fact]
    public void The_comparison_counts_what_each_definition_finds_with_its_median_and_relapse_free_shares()
    {
        EpisodeOutcome[] cohort = [Episode("++++------"), Episode("-+-+------"), Episode("----------"), Episode("+++-------")];
        var rows = UsePatterns.Comparison(cohort, [RelapseDefinitions.Ctn0094Relapse, RelapseDefinitions.Lee2016, RelapseDefinitions.Krupitsky2004], AsOf);
        // CTN-0094: 1 of 4, survival 0.75 from week 1: no median; at week 4 0.75; week 12 past the data (last time 7).
        Assert.Equal(new DefinitionComparisonRow("ctn-0094-relapse@1", RelapseDefinitions.Ctn0094Relapse.Reference, "time-to-event", 4, 4, 1, 0.25,
            null, 0.75, null, null), rows[0]);
        // Lee 2016: 3 of 4 at week 1: median week 1.
        Assert.Equal((3, 0.75, 1), (rows[1].Events, rows[1].EventShare, rows[1].MedianWeeks));
        // Krupitsky (+++): ++++ and +++- at week 1: 2 of 4, S(1) = 0.5, which is the median; censored at week 8 (10 - 3 + 1).
        Assert.Equal((2, 1, "binary", 0.5), (rows[2].Events, rows[2].MedianWeeks, rows[2].Outcome, rows[2].Survival4));
    }

    [Fact]
    public void The_weekly_export_is_one_row_per_pseudonym_episode_and_week_without_dates()
    {
        var pseudonyms = new Pseudonyms(new byte[32]);
        var patient = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
        var rows = UsePatterns.Rows([new PatientOutcomes { Id = patient, Episodes = [Episode("+-o*------"), Episode("---", droppedOut: true) with
            { FirstDoseAt = new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero) }] }], new CohortFilter(), pseudonyms, AsOf);
        var pseudonym = pseudonyms.Of(patient);
        // The dropout's detox started first (2025): episode 1; the completed one is episode 2.
        Assert.Equal(20, rows.Count);
        Assert.Equal(new UsePatternRow($"{pseudonym}-2", pseudonym, 2, "clinic-a", "buprenorphine", "completed", 4, "mixed", "*"),
            rows.Single(r => r.Episode == 2 && r.Week == 4));
        Assert.Equal("+-o*------", string.Concat(rows.Where(r => r.Episode == 2).OrderBy(r => r.Week).Select(r => r.Symbol)));
        Assert.Equal("dropped-out", rows.First(r => r.Episode == 1).DetoxOutcome);
        var csv = TableExport.Csv(rows);
        Assert.StartsWith("who,pseudonym,episode,clinic,medication,detoxOutcome,week,result,symbol\r\n", csv);
        Assert.DoesNotContain(patient.ToString(), csv);
        Assert.DoesNotContain("2026", csv);
    }
}
