using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

/// <summary>
/// "Prescribed" follows the medication the patient was receiving when the screen was collected: monitoring follows the end
/// of the detox (a completed taper, or a dropout), so after the residual days (default 7, ASAM 2017) a positive for the detox
/// medication is non-prescribed use.
/// </summary>
public class PrescribedAtScreenTimeTests
{
    private static Monitorings.Monitoring OnBuprenorphine(params object[] facts) => Fold([Started(Substance.Buprenorphine, "buprenorphine"), .. facts]);

    private static RecordUrineScreen BuprenorphinePositive(DateOnly on) =>
        new(on, new Dictionary<Substance, ScreenResult> { [Substance.Opiates] = ScreenResult.Negative, [Substance.Buprenorphine] = ScreenResult.Positive });

    private static bool NonPrescribedAtRecording(DateOnly on) =>
        Assert.IsType<UrineScreenRecorded>(UrineScreens.Decide(OnBuprenorphine(), BuprenorphinePositive(on), Ctn).Events[0]).NonPrescribedOpioidPositive;

    [Fact]
    public void Buprenorphine_7_days_after_the_completed_taper_is_still_the_medication() =>
        Assert.False(NonPrescribedAtRecording(StartedOn.AddDays(7)));

    [Fact]
    public void Buprenorphine_8_days_after_the_completed_taper_is_no_longer_prescribed() =>
        Assert.True(NonPrescribedAtRecording(StartedOn.AddDays(8)));

    [Fact]
    public void The_rules_judge_each_screen_at_its_own_date()
    {
        // Week 1 (days 0-6): buprenorphine is the medication leaving; weeks 2-5 (from day 8 on): non-prescribed use.
        var monitoring = OnBuprenorphine(
            Screen(Week(1).AddDays(2), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Buprenorphine, ScreenResult.Positive)),
            Screen(Week(2).AddDays(1), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Buprenorphine, ScreenResult.Positive)),
            Screen(Week(3).AddDays(1), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Buprenorphine, ScreenResult.Positive)),
            Screen(Week(4).AddDays(1), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Buprenorphine, ScreenResult.Positive)),
            Screen(Week(5).AddDays(1), Substance.Buprenorphine, (Substance.Opiates, ScreenResult.Negative), (Substance.Buprenorphine, ScreenResult.Positive)));
        var result = RelapseRules.Evaluate(RelapseRules.Ctn0094ReturnToUse, monitoring, Week(6), new RelapseProtocol());
        Assert.Equal([WeekStatus.Negative, WeekStatus.Positive, WeekStatus.Positive, WeekStatus.Positive, WeekStatus.Positive],
            result.Weeks.Take(5).Select(w => w.Status));
        Assert.True(result.Relapsed);
        Assert.Equal(Week(2), result.RelapsedOn);
        Assert.True(RelapseRules.Evaluate(RelapseRules.AnyPositiveAfterDetox, monitoring, Week(6), new RelapseProtocol()).RelapsedOn == Week(2).AddDays(1));
    }

    [Fact]
    public void A_clinic_sets_the_residual_days() =>
        Assert.Null(Substances.PrescribedAt(Substance.Methadone, StartedOn, StartedOn.AddDays(4), residualDays: 3));

    [Fact]
    public void Extended_release_naltrexone_is_no_opioid_so_nothing_is_prescribed() =>
        Assert.Null(RelapseRules.PrescribedAt(Fold(Started()), StartedOn, new RelapseProtocol()));
}
