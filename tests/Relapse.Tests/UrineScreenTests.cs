using Recovery.BuildingBlocks.Time;
using Recovery.BuildingBlocks.Domain;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class UrineScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static RecordUrineScreen Record(DateOnly on, params (Substance, ScreenResult)[] results) =>
        new(on, results.ToDictionary(r => r.Item1, r => r.Item2));

    [Fact]
    public void A_fentanyl_positive_is_a_non_prescribed_opioid_positive() =>
        Scenario()
            .Given(OnMethadone)
            .When(m => UrineScreens.Decide(m, Record(Week(1), (Substance.Opiates, ScreenResult.Negative),
                (Substance.Methadone, ScreenResult.Positive), (Substance.Fentanyl, ScreenResult.Positive)), Ctn))
            .Then(Screen(Week(1), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative),
                (Substance.Methadone, ScreenResult.Positive), (Substance.Fentanyl, ScreenResult.Positive)));

    [Fact]
    public void The_prescribed_methadone_positive_is_not_a_non_prescribed_opioid_positive()
    {
        var decision = UrineScreens.Decide(Fold(OnMethadone),
            Record(Week(1), (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)), Ctn);
        var screen = Assert.IsType<UrineScreenRecorded>(Assert.Single(decision.Events));
        Assert.False(screen.NonPrescribedOpioidPositive);
        Assert.False(screen.NotCollected);
    }

    [Theory]
    [InlineData(Substance.Opiates)]
    [InlineData(Substance.Fentanyl)]
    [InlineData(Substance.Oxycodone)]
    [InlineData(Substance.Methadone)]
    [InlineData(Substance.Buprenorphine)]
    public void Every_opioid_is_non_prescribed_without_a_maintenance_medication(Substance opioid)
    {
        var panel = new Dictionary<Substance, ScreenResult> { [Substance.Opiates] = ScreenResult.Negative, [opioid] = ScreenResult.Positive };
        var decision = UrineScreens.Decide(Fold(Started()), new RecordUrineScreen(Week(1), panel), Ctn);
        Assert.True(Assert.IsType<UrineScreenRecorded>(decision.Events[0]).NonPrescribedOpioidPositive);
    }

    [Theory]
    [InlineData(Substance.Cocaine)]
    [InlineData(Substance.Amphetamines)]
    [InlineData(Substance.Benzodiazepines)]
    [InlineData(Substance.Cannabis)]
    public void A_non_opioid_positive_is_not_an_opioid_positive(Substance other)
    {
        var decision = UrineScreens.Decide(Fold(Started()),
            Record(Week(1), (Substance.Opiates, ScreenResult.Negative), (other, ScreenResult.Positive)), Ctn);
        Assert.False(Assert.IsType<UrineScreenRecorded>(decision.Events[0]).NonPrescribedOpioidPositive);
    }

    [Fact]
    public void A_screen_is_not_collected_only_when_every_result_is_not_collected()
    {
        var none = UrineScreens.Decide(Fold(Started()),
            Record(Week(1), (Substance.Opiates, ScreenResult.NotCollected), (Substance.Cocaine, ScreenResult.NotCollected)), Ctn);
        var some = UrineScreens.Decide(Fold(Started()),
            Record(Week(1), (Substance.Opiates, ScreenResult.NotCollected), (Substance.Cocaine, ScreenResult.Negative)), Ctn);
        Assert.True(Assert.IsType<UrineScreenRecorded>(none.Events[0]).NotCollected);
        Assert.False(Assert.IsType<UrineScreenRecorded>(some.Events[0]).NotCollected);
    }

    [Fact]
    public void A_screen_after_four_bad_weeks_detects_the_relapse_at_the_first_of_them() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Positive(Week(2)), NotCollected(Week(3)))
            .When(m => UrineScreens.Decide(m, Record(Week(6), (Substance.Opiates, ScreenResult.Negative)), Ctn))
            .Then(Negative(Week(6)), Detected("weeks 2-5: positive (fentanyl), missing, missing, missing", Week(2), Week(6)));

    [Fact]
    public void Three_bad_weeks_detect_nothing() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Positive(Week(2)))
            .When(m => UrineScreens.Decide(m, Record(Week(4).AddDays(6), (Substance.Opiates, ScreenResult.NotCollected)), Ctn))
            .Then(NotCollected(Week(4).AddDays(6)));

    [Fact]
    public void A_relapse_on_record_is_not_detected_again() =>
        Scenario()
            .Given(Started(), Positive(Week(1)), Detected("weeks 1-4: ...", StartedOn, Week(4)))
            .When(m => UrineScreens.Decide(m, Record(Week(6), (Substance.Opiates, ScreenResult.Positive)), Ctn))
            .Then(Screen(Week(6), null, (Substance.Opiates, ScreenResult.Positive)));

    [Fact]
    public void Under_any_positive_the_positive_screen_itself_is_the_relapse() =>
        Scenario()
            .Given(Started())
            .When(m => UrineScreens.Decide(m, Record(Week(1).AddDays(3), (Substance.Opiates, ScreenResult.Negative),
                (Substance.Fentanyl, ScreenResult.Positive)), AnyPositive))
            .Then(Positive(Week(1).AddDays(3)),
                Detected("screen collected 2026-03-05: positive (fentanyl)", Week(1).AddDays(3), Week(1).AddDays(3),
                    RelapseRules.AnyPositiveAfterDetox));

    [Fact]
    public void A_screen_before_monitoring_began_is_refused()
    {
        var error = Scenario()
            .Given(Started())
            .When(m => UrineScreens.Decide(m, Record(StartedOn.AddDays(-1), (Substance.Opiates, ScreenResult.Negative)), Ctn))
            .ThenRejected(ErrorKind.RuleBroken, "before-monitoring-start");
        Assert.Equal(StartedOn, error.Values!["startedOn"]);
    }

    [Fact]
    public void A_screen_on_the_day_monitoring_began_is_week_one() =>
        Scenario()
            .Given(Started())
            .When(m => UrineScreens.Decide(m, Record(StartedOn, (Substance.Opiates, ScreenResult.Negative)), Ctn))
            .Then(Negative(StartedOn));

    [Fact]
    public void A_closed_monitoring_takes_no_screen() =>
        Scenario()
            .Given(Started(), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, Guid.NewGuid(), "clinic-south", Week(2), false))
            .When(m => UrineScreens.Decide(m, Record(Week(2), (Substance.Opiates, ScreenResult.Negative)), Ctn))
            .ThenRejected(ErrorKind.Conflict, "monitoring-closed");

    [Fact]
    public void A_complete_request_is_valid()
    {
        var validated = new RecordUrineScreenRequest(new DateOnly(2026, 6, 1),
            new() { ["opiates"] = "negative", ["fentanyl"] = "positive", ["cannabis"] = "not-collected" }).Validate(Now);
        Assert.Null(validated.Error);
        Assert.Equal(ScreenResult.Positive, validated.Value!.Results[Substance.Fentanyl]);
        Assert.Equal(ScreenResult.NotCollected, validated.Value.Results[Substance.Cannabis]);
    }

    [Fact]
    public void An_unknown_substance_is_named()
    {
        var error = new RecordUrineScreenRequest(new DateOnly(2026, 6, 1), new() { ["opiates"] = "negative", ["heroin"] = "positive" })
            .Validate(Now).Error!;
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(["results.heroin"], error.Errors!.Keys);
    }

    [Fact]
    public void An_unknown_result_is_named()
    {
        var error = new RecordUrineScreenRequest(new DateOnly(2026, 6, 1), new() { ["opiates"] = "weak" }).Validate(Now).Error!;
        Assert.Equal(["results.opiates"], error.Errors!.Keys);
    }

    [Fact]
    public void Opiates_are_required()
    {
        var error = new RecordUrineScreenRequest(new DateOnly(2026, 6, 1), new() { ["fentanyl"] = "negative" }).Validate(Now).Error!;
        Assert.Equal(["results.opiates"], error.Errors!.Keys);
    }

    [Fact]
    public void Results_and_date_are_required()
    {
        var error = new RecordUrineScreenRequest(null, null).Validate(Now).Error!;
        Assert.Equal(["collectedOn", "results"], error.Errors!.Keys.Order());
    }

    [Fact]
    public void A_substance_given_twice_is_refused()
    {
        var error = new RecordUrineScreenRequest(new DateOnly(2026, 6, 1), new() { ["opiates"] = "negative", ["Opiates"] = "positive" })
            .Validate(Now).Error!;
        Assert.Equal(["results.Opiates"], error.Errors!.Keys);
    }

    [Fact]
    public void A_date_after_today_at_the_clinic_is_refused()
    {
        Assert.Null(new RecordUrineScreenRequest(new DateOnly(2026, 6, 1), new() { ["opiates"] = "negative" }).Validate(Now).Error);
        var error = new RecordUrineScreenRequest(new DateOnly(2026, 6, 2), new() { ["opiates"] = "negative" }).Validate(Now).Error!;
        Assert.Equal(["collectedOn"], error.Errors!.Keys);
        // 10:00 UTC is already 2 June at a clinic on UTC+14.
        Assert.Null(new RecordUrineScreenRequest(new DateOnly(2026, 6, 2), new() { ["opiates"] = "negative" })
            .Validate(ClinicNow.In(Now, "Pacific/Kiritimati")).Error);
    }
}
