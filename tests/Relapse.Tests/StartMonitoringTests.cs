using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class StartMonitoringTests
{
    private static Scenario<Monitoring?> Starting() => new(events => events.Any() ? MonitoringEvolution.Fold(events) : null);

    private static StartMonitoring Start(string medication, DetoxOutcome outcome = DetoxOutcome.Completed) =>
        new(PatientId, Clinic, EpisodeId, MonitoringId, medication, outcome, StartedOn, RelapseRules.AnyPositiveAfterDetox);

    [Theory]
    [InlineData("methadone", Substance.Methadone)]
    [InlineData("buprenorphine", Substance.Buprenorphine)]
    [InlineData("Buprenorphine", Substance.Buprenorphine)]
    [InlineData("extended-release-naltrexone", null)]
    public void A_maintenance_opioid_is_the_prescribed_opioid(string medication, Substance? prescribed) =>
        Starting()
            .When(m => MonitoringStart.Decide(m, Start(medication)))
            .Then(new MonitoringStarted(MonitoringId, PatientId, Clinic, EpisodeId, MonitoringId, medication.ToLowerInvariant(),
                DetoxOutcome.Completed, StartedOn, prescribed, RelapseRules.AnyPositiveAfterDetox));

    [Fact]
    public void A_dropout_starts_monitoring_on_the_dropout_date() =>
        Starting()
            .When(m => MonitoringStart.Decide(m, Start("methadone", DetoxOutcome.DroppedOut)))
            .Then(new MonitoringStarted(MonitoringId, PatientId, Clinic, EpisodeId, MonitoringId, "methadone",
                DetoxOutcome.DroppedOut, StartedOn, Substance.Methadone, RelapseRules.AnyPositiveAfterDetox));

    [Fact]
    public void A_plan_already_monitored_starts_nothing() =>
        Starting()
            .Given(Started())
            .When(m => MonitoringStart.Decide(m, Start("methadone", DetoxOutcome.DroppedOut)))
            .Then();
}
