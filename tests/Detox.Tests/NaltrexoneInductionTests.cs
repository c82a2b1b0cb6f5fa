using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class NaltrexoneInductionTests
{
    private const Medication Xrn = Medication.ExtendedReleaseNaltrexone;

    private static object[] Ready(OpioidKind kind = OpioidKind.ShortActing, TimeSpan? usedBefore = null) =>
        [Drafted(Xrn), Approved, LastUse(kind, Now - (usedBefore ?? TimeSpan.FromDays(20))), Screen(ScreenResult.Negative, Now.AddHours(-2))];

    private static Scenario<DetoxPlan> FirstDose(object[] given) =>
        Scenario().Given(given).When(p => Doses.Decide(p, Dose(Xrn, 380m, Now), Needs, Sealing.Fake));

    [Fact]
    public void Opioid_free_long_enough_with_a_negative_screen_is_an_induction() => FirstDose(Ready()).Then(Given(Xrn, 380m, Now, first: true));

    [Theory]
    [InlineData(OpioidKind.ShortActing)]
    [InlineData(OpioidKind.ExtendedRelease)]
    public void Six_days_23_hours_is_refused(OpioidKind kind)
    {
        var error = FirstDose(Ready(kind, TimeSpan.FromDays(7) - TimeSpan.FromHours(1)))
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-opioid-free-days");
        Assert.Equal(6.96, error.Values!["opioidFreeDays"]);
        Assert.Equal(7, error.Values["requiredDays"]);
    }

    [Theory]
    [InlineData(OpioidKind.ShortActing)]
    [InlineData(OpioidKind.ExtendedRelease)]
    public void Seven_days_is_accepted(OpioidKind kind) => FirstDose(Ready(kind, TimeSpan.FromDays(7))).Then(Given(Xrn, 380m, Now, first: true));

    [Theory]
    [InlineData(OpioidKind.Methadone)]
    [InlineData(OpioidKind.Buprenorphine)]
    public void Thirteen_days_after_methadone_or_buprenorphine_is_refused(OpioidKind kind)
    {
        var error = FirstDose(Ready(kind, TimeSpan.FromDays(13))).ThenRejected(ErrorKind.RuleBroken, "naltrexone-opioid-free-days");
        Assert.Equal(13.0, error.Values!["opioidFreeDays"]);
        Assert.Equal(14, error.Values["requiredDays"]);
    }

    [Theory]
    [InlineData(OpioidKind.Methadone)]
    [InlineData(OpioidKind.Buprenorphine)]
    public void Fourteen_days_after_methadone_or_buprenorphine_is_accepted(OpioidKind kind) =>
        FirstDose(Ready(kind, TimeSpan.FromDays(14))).Then(Given(Xrn, 380m, Now, first: true));

    [Fact]
    public void No_last_use_recorded_is_refused() =>
        FirstDose([Drafted(Xrn), Approved, Screen(ScreenResult.Negative, Now.AddHours(-2))])
            .ThenRejected(ErrorKind.RuleBroken, "last-opioid-use-required");

    [Fact]
    public void A_screen_is_required() =>
        FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, Now.AddDays(-10))])
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-screen-required");

    [Fact]
    public void An_opioid_positive_latest_screen_is_refused()
    {
        var error = FirstDose([.. Ready(), Screen(ScreenResult.Positive, Now.AddHours(-1))])
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-positive-screen");
        Assert.Equal("positive", error.Values!["opioidResult"]);
    }

    [Fact]
    public void A_negative_screen_after_a_positive_one_clears_it() =>
        FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, Now.AddDays(-10)), Screen(ScreenResult.Positive, Now.AddDays(-3)),
                Screen(ScreenResult.Negative, Now.AddHours(-1))])
            .Then(Given(Xrn, 380m, Now, first: true));

    [Fact]
    public void A_positive_screen_entered_late_still_counts_when_it_was_collected_last() =>
        FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, Now.AddDays(-10)), Screen(ScreenResult.Negative, Now.AddDays(-3)),
                Screen(ScreenResult.Positive, Now.AddHours(-1)), Screen(ScreenResult.Negative, Now.AddDays(-2))])
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-positive-screen");

    [Fact]
    public void A_negative_screen_collected_at_the_last_use_proves_nothing()
    {
        // Use recorded 10 days ago, the screen collected that same minute: not after the use.
        var usedAt = Now.AddDays(-10);
        var error = FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, usedAt), Screen(ScreenResult.Negative, usedAt)])
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-screen-before-last-use");
        Assert.Equal((usedAt, usedAt), ((DateTimeOffset)error.Values!["collectedAt"]!, (DateTimeOffset)error.Values["lastUsedAt"]!));
    }

    [Fact]
    public void A_negative_screen_collected_a_minute_after_the_last_use_counts()
    {
        var usedAt = Now.AddDays(-10);
        FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, usedAt), Screen(ScreenResult.Negative, usedAt.AddMinutes(1))])
            .Then(Given(Xrn, 380m, Now, first: true));
    }

    [Fact]
    public void A_use_recorded_after_the_screen_makes_it_stale()
    {
        // Screened 12 days ago, then a use 9 days ago was recorded: the screen is from before it.
        FirstDose([Drafted(Xrn), Approved, LastUse(OpioidKind.ShortActing, Now.AddDays(-14)), Screen(ScreenResult.Negative, Now.AddDays(-12)),
                LastUse(OpioidKind.ShortActing, Now.AddDays(-9))])
            .ThenRejected(ErrorKind.RuleBroken, "naltrexone-screen-before-last-use");
    }
}
