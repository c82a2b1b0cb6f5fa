using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

/// <summary>CTN-0094 return to use: 4 consecutive weekly screens missing or positive for non-prescribed opioids.</summary>
public class CtnReturnToUseRuleTests
{
    private static RelapseEvaluation Evaluate(DateOnly asOf, params object[] facts) =>
        RelapseRules.Evaluate(RelapseRules.Ctn0094ReturnToUse, Fold([Started(), .. facts]), asOf, new RelapseProtocol());

    [Fact]
    public void Three_missing_weeks_are_not_a_relapse()
    {
        var result = Evaluate(Week(5), Negative(Week(1)));
        Assert.False(result.Relapsed);
        Assert.Equal([WeekStatus.Negative, WeekStatus.Missing, WeekStatus.Missing, WeekStatus.Missing, WeekStatus.InProgress],
            result.Weeks.Select(w => w.Status));
    }

    [Fact]
    public void Four_missing_weeks_are_a_relapse_dated_the_first_day_of_the_first()
    {
        var result = Evaluate(Week(6), Negative(Week(1)));
        Assert.True(result.Relapsed);
        Assert.Equal(Week(2), result.RelapsedOn);
        Assert.Equal("weeks 2-5: missing, missing, missing, missing", result.Evidence);
    }

    [Fact]
    public void A_week_in_progress_is_not_missing()
    {
        // Weeks 1-3 have ended without a screen; week 4 runs until its seventh day is over.
        Assert.False(Evaluate(Week(4).AddDays(6)).Relapsed);
        var result = Evaluate(Week(5));
        Assert.True(result.Relapsed);
        Assert.Equal(StartedOn, result.RelapsedOn);
    }

    [Fact]
    public void A_positive_counts_at_once_even_in_a_week_in_progress()
    {
        var result = Evaluate(Week(4).AddDays(2), Positive(Week(4).AddDays(2)));
        Assert.True(result.Relapsed);
        Assert.Equal(StartedOn, result.RelapsedOn);
        Assert.Equal("weeks 1-4: missing, missing, missing, positive (fentanyl)", result.Evidence);
    }

    [Fact]
    public void Positive_and_missing_weeks_together_make_the_run_and_the_evidence_names_them()
    {
        var result = Evaluate(Week(7), Negative(Week(1)), Negative(Week(2).AddDays(3)), Positive(Week(4).AddDays(1)),
            Screen(Week(4).AddDays(5), null, (Substance.Opiates, ScreenResult.Positive), (Substance.Oxycodone, ScreenResult.Negative)));
        Assert.True(result.Relapsed);
        Assert.Equal(Week(3), result.RelapsedOn);
        Assert.Equal("weeks 3-6: missing, positive (opiates, fentanyl), missing, missing", result.Evidence);
    }

    [Fact]
    public void A_good_week_breaks_the_run()
    {
        var result = Evaluate(Week(8), Negative(Week(4).AddDays(3)));
        Assert.False(result.Relapsed);
        Assert.Equal([WeekStatus.Missing, WeekStatus.Missing, WeekStatus.Missing, WeekStatus.Negative, WeekStatus.Missing,
            WeekStatus.Missing, WeekStatus.Missing, WeekStatus.InProgress], result.Weeks.Select(w => w.Status));
    }

    [Fact]
    public void A_week_with_both_a_positive_and_a_negative_screen_is_bad()
    {
        var result = Evaluate(Week(6), Negative(Week(1)), Positive(Week(2)), Negative(Week(2).AddDays(4)));
        Assert.True(result.Relapsed);
        Assert.Equal("weeks 2-5: positive (fentanyl), missing, missing, missing", result.Evidence);
    }

    [Fact]
    public void Not_collected_counts_as_missing()
    {
        var result = Evaluate(Week(6), Negative(Week(1)), NotCollected(Week(2)), NotCollected(Week(3).AddDays(6)), NotCollected(Week(4)));
        Assert.True(result.Relapsed);
        Assert.Equal(Week(2), result.RelapsedOn);
    }

    [Fact]
    public void A_not_collected_screen_in_a_week_in_progress_leaves_it_in_progress()
    {
        var result = Evaluate(Week(4), NotCollected(Week(4)));
        Assert.Equal(WeekStatus.InProgress, result.Weeks[3].Status);
        Assert.False(result.Relapsed);
    }

    [Fact]
    public void A_prescribed_methadone_positive_is_a_good_week()
    {
        var onMethadone = Fold(OnMethadone,
            Screen(Week(1), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)),
            Screen(Week(2), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)),
            Screen(Week(3), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)),
            Screen(Week(4), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)));
        // Still attributed to the medication through week 4: a clinic whose patients leave detox on a long taper tail.
        var result = RelapseRules.Evaluate(RelapseRules.Ctn0094ReturnToUse, onMethadone, Week(5), new RelapseProtocol { PrescribedResidualDays = 28 });
        Assert.False(result.Relapsed);
        Assert.All(result.Weeks.Take(4), w => Assert.Equal(WeekStatus.Negative, w.Status));
    }

    [Fact]
    public void Methadone_not_prescribed_is_a_non_prescribed_opioid()
    {
        var onBuprenorphine = Fold(Started(Substance.Buprenorphine, "buprenorphine"),
            Screen(Week(1), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)));
        var result = RelapseRules.Evaluate(RelapseRules.Ctn0094ReturnToUse, onBuprenorphine, Week(5), new RelapseProtocol());
        Assert.True(result.Relapsed);
        Assert.Equal("weeks 1-4: positive (methadone), missing, missing, missing", result.Evidence);
    }

    [Theory]
    [InlineData(6, 0, 1)]
    [InlineData(7, 1, 2)]
    [InlineData(13, 1, 2)]
    [InlineData(14, 2, 3)]
    public void Weeks_are_seven_day_periods_from_the_start(int day, int endedWeeks, int weeks)
    {
        var result = Evaluate(StartedOn.AddDays(day));
        Assert.Equal(weeks, result.Weeks.Count);
        Assert.Equal(endedWeeks, result.Weeks.Count(w => w.Status == WeekStatus.Missing));
        Assert.Equal(StartedOn.AddDays(6), result.Weeks[0].To);
    }

    [Fact]
    public void Screens_dated_after_the_evaluation_date_are_not_yet_known()
    {
        var result = Evaluate(Week(4), Positive(Week(4).AddDays(3)));
        Assert.False(result.Relapsed);
        Assert.Equal(WeekStatus.InProgress, result.Weeks[3].Status);
    }

    [Fact]
    public void Self_reported_use_and_missed_visits_do_not_change_the_result()
    {
        var withReports = Evaluate(Week(4).AddDays(3), Negative(Week(1)),
            new ReportedUse.UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedUse.ReportedSubstance.Heroin, Week(2)),
            new MissedVisits.VisitMissed(MonitoringId, PatientId, EpisodeId, MissedVisits.VisitSource.Dose, Week(2).AddDays(1), Guid.Empty));
        Assert.False(withReports.Relapsed);
        Assert.Equal(Evaluate(Week(4).AddDays(3), Negative(Week(1))), withReports, new EvaluationComparer());
    }

    [Theory]
    [InlineData(2, 4, true)]
    [InlineData(3, 4, false)]
    [InlineData(3, 5, true)]
    [InlineData(6, 7, false)]
    public void The_threshold_is_the_clinics_protocol(int threshold, int asOfWeek, bool relapsed)
    {
        var result = RelapseRules.Evaluate(RelapseRules.Ctn0094ReturnToUse, Fold(Started(), Negative(Week(1))), Week(asOfWeek),
            new RelapseProtocol { ConsecutiveBadWeeks = threshold });
        Assert.Equal(relapsed, result.Relapsed);
    }

    [Fact]
    public void Nothing_is_judged_before_monitoring_began()
    {
        var result = Evaluate(StartedOn.AddDays(-1));
        Assert.Empty(result.Weeks);
        Assert.False(result.Relapsed);
    }

    [Fact]
    public void An_unknown_rule_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => RelapseRules.Evaluate("three-strikes@1", Fold(Started()), Week(2), new RelapseProtocol()));
    }

    private sealed class EvaluationComparer : IEqualityComparer<RelapseEvaluation>
    {
        public bool Equals(RelapseEvaluation? x, RelapseEvaluation? y) =>
            x!.Relapsed == y!.Relapsed && x.RelapsedOn == y.RelapsedOn && x.Evidence == y.Evidence &&
            x.Weeks.Select(w => w.Describe()).SequenceEqual(y.Weeks.Select(w => w.Describe()));

        public int GetHashCode(RelapseEvaluation obj) => obj.Relapsed.GetHashCode();
    }
}
