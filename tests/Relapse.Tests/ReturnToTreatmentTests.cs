using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReturnToTreatment;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class ReturnToTreatmentTests
{
    private static readonly Guid NewEpisode = Guid.Parse("0190b000-0000-7000-8000-0000000000e2");
    private static readonly DateTimeOffset AssessmentAt = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private static RecordReturnToTreatment NewAssessment(Guid? episode = null, DateTimeOffset? at = null) =>
        new(episode ?? NewEpisode, "clinic-south", at ?? AssessmentAt);

    [Fact]
    public void A_relapsed_patient_starting_an_assessment_elsewhere_returns_to_treatment() =>
        Scenario()
            .Given(Started(), Detected("weeks 1-4: missing, missing, missing, missing", StartedOn, Week(5)))
            .When(m => TreatmentReturns.Decide(m, NewAssessment()))
            .Then(new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, "clinic-south", new DateOnly(2026, 5, 4), true, NewAssessment().AssessmentStartedAt));

    [Fact]
    public void A_patient_who_did_not_relapse_also_returns_and_the_monitoring_closes()
    {
        var scenario = Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => TreatmentReturns.Decide(m, NewAssessment()));
        var returned = new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, "clinic-south", new DateOnly(2026, 5, 4), false,
            NewAssessment().AssessmentStartedAt);
        scenario.Then(returned);
        Assert.Equal(MonitoringStatus.ReturnedToTreatment, Fold(Started(), Negative(Week(1)), returned).Status);
    }

    [Fact]
    public void A_closed_monitoring_does_not_return_twice() =>
        Scenario()
            .Given(Started(), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, NewEpisode, "clinic-south", new DateOnly(2026, 5, 4), false))
            .When(m => TreatmentReturns.Decide(m, NewAssessment(Guid.NewGuid())))
            .Then();

    [Fact]
    public void The_monitorings_own_episode_closes_nothing() =>
        Scenario()
            .Given(Started())
            .When(m => TreatmentReturns.Decide(m, NewAssessment(EpisodeId)))
            .Then();

    [Fact]
    public void An_assessment_that_began_before_monitoring_closes_nothing() =>
        Scenario()
            .Given(Started())
            .When(m => TreatmentReturns.Decide(m, NewAssessment(at: new DateTimeOffset(StartedOn.AddDays(-1), TimeOnly.MinValue, TimeSpan.Zero))))
            .Then();
}
