using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class AnyPositiveAfterDetoxRuleTests
{
    private static RelapseEvaluation Evaluate(DateOnly asOf, params object[] facts) =>
        RelapseRules.Evaluate(RelapseRules.AnyPositiveAfterDetox, Fold([Started(), .. facts]), asOf, new RelapseProtocol());

    [Fact]
    public void A_positive_the_day_after_detox_is_a_relapse_that_day()
    {
        var result = Evaluate(Week(3), Negative(StartedOn), Positive(StartedOn.AddDays(1), Substance.Oxycodone), Positive(Week(2)));
        Assert.True(result.Relapsed);
        Assert.Equal(StartedOn.AddDays(1), result.RelapsedOn);
        Assert.Equal("screen collected 2026-03-03: positive (oxycodone)", result.Evidence);
    }

    [Fact]
    public void A_positive_on_the_day_detox_ended_is_not_after_it() =>
        Assert.False(Evaluate(Week(3), Positive(StartedOn)).Relapsed);

    [Fact]
    public void Missing_weeks_are_not_a_relapse_under_this_rule() =>
        Assert.False(Evaluate(Week(12)).Relapsed);

    [Fact]
    public void The_prescribed_opioid_is_not_a_relapse()
    {
        var onMethadone = Fold(OnMethadone,
            Screen(Week(2), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)));
        Assert.False(RelapseRules.Evaluate(RelapseRules.AnyPositiveAfterDetox, onMethadone, Week(3), new RelapseProtocol()).Relapsed);
    }

    [Fact]
    public void A_non_opioid_positive_is_not_a_relapse() =>
        Assert.False(Evaluate(Week(3), Screen(Week(2), null, (Substance.Opiates, ScreenResult.Negative), (Substance.Cocaine, ScreenResult.Positive))).Relapsed);

    [Fact]
    public void A_positive_dated_after_the_evaluation_date_is_not_yet_known() =>
        Assert.False(Evaluate(Week(2), Positive(Week(2).AddDays(1))).Relapsed);
}
