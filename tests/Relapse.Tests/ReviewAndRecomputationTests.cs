using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class ReviewAndRecomputationTests
{
    private static readonly Guid NewEpisode = Guid.Parse("0190b000-0000-7000-8000-0000000000e2");

    [Fact]
    public void The_weekly_review_finds_a_relapse_made_of_weeks_without_facts() =>
        Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => MonitoringReview.Decide(m, Ctn, Week(6)))
            .Then(Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)));

    [Fact]
    public void The_review_finds_nothing_while_the_fourth_week_is_in_progress() =>
        Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => MonitoringReview.Decide(m, Ctn, Week(6).AddDays(-1)))
            .Then();

    [Fact]
    public void The_review_leaves_a_closed_monitoring_alone() =>
        Scenario()
            .Given(Started(), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, Clinic, Week(2), false))
            .When(m => MonitoringReview.Decide(m, Ctn, Week(10)))
            .Then();

    [Fact]
    public void Recomputation_under_a_new_rule_retracts_a_relapse_it_no_longer_finds() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)))
            .When(m => RelapseRecomputation.Decide(m, AnyPositive, Week(7)))
            .Then(new RelapseRetracted(MonitoringId, PatientId, EpisodeId, RelapseRules.Ctn0094ReturnToUse, Week(2),
                RelapseRules.AnyPositiveAfterDetox, Week(7)));

    [Fact]
    public void Recomputation_detects_a_relapse_the_new_rule_finds() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Positive(Week(2).AddDays(1)), Negative(Week(3)))
            .When(m => RelapseRecomputation.Decide(m, AnyPositive, Week(4)))
            .Then(Detected("screen collected 2026-03-10: positive (fentanyl)", Week(2).AddDays(1), Week(4), RelapseRules.AnyPositiveAfterDetox));

    [Fact]
    public void Recomputation_moves_a_relapse_found_on_another_day() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Positive(Week(2).AddDays(1)), Negative(Week(3)),
                Detected("screen collected 2026-03-10: positive (fentanyl)", Week(2).AddDays(1), Week(3), RelapseRules.AnyPositiveAfterDetox))
            .When(m => RelapseRecomputation.Decide(m, Ctn, Week(9)))
            .Then(new RelapseRetracted(MonitoringId, PatientId, EpisodeId, RelapseRules.AnyPositiveAfterDetox, Week(2).AddDays(1),
                    RelapseRules.Ctn0094ReturnToUse, Week(9)),
                Detected("weeks 4-7: missing, missing, missing, missing", Week(4), Week(9)));

    [Fact]
    public void A_relapse_still_found_on_the_same_day_is_unchanged() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)))
            .When(m => RelapseRecomputation.Decide(m, Ctn, Week(12)))
            .Then();

    [Fact]
    public void Recomputation_finds_nothing_where_no_rule_finds_anything() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Negative(Week(2)))
            .When(m => RelapseRecomputation.Decide(m, Ctn, Week(4)))
            .Then();

    [Fact]
    public void Running_the_recomputation_twice_changes_nothing_the_second_time()
    {
        var given = new object[] { Started(), Negative(Week(1)), Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)) };
        var first = RelapseRecomputation.Decide(Fold(given), AnyPositive, Week(7));
        Assert.Single(first.Events);
        Scenario()
            .Given([.. given, .. first.Events])
            .When(m => RelapseRecomputation.Decide(m, AnyPositive, Week(7)))
            .Then();
    }

    [Fact]
    public void A_closed_monitoring_is_judged_as_of_the_day_it_closed() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, Clinic, Week(4), false))
            .When(m => RelapseRecomputation.Decide(m, Ctn, Week(20)))
            .Then();

    [Fact]
    public void A_closed_monitoring_can_still_be_found_relapsed_before_it_closed() =>
        Scenario()
            .Given(Started(), Positive(Week(1).AddDays(2)), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, Clinic, Week(2), false))
            .When(m => RelapseRecomputation.Decide(m, AnyPositive, Week(20)))
            .Then(Detected("screen collected 2026-03-04: positive (fentanyl)", Week(1).AddDays(2), Week(2), RelapseRules.AnyPositiveAfterDetox));
}
