using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Testing;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

public class FoldCoverageTests
{
    [Fact]
    public void The_monitoring_document_includes_every_event_the_monitoring_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new MonitoringProjection(), MonitoringEvolution.Evolve,
            // A relapse on record, so that a retraction shows in the state.
            MonitoringEvolution.Fold([Started(), new RelapseDetected(MonitoringId, PatientId, EpisodeId, RelapseRules.Default, Week(4), "weeks 1-4", Week(4))]),
            typeof(Monitoring).Assembly, [Started()]);

    [Fact]
    public void The_rule_setting_document_includes_every_event_the_setting_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new ClinicRelapseRuleProjection(), ClinicRelapseRuleEvolution.Evolve,
            new ClinicRelapseRule(), typeof(ClinicRelapseRule).Assembly, []);
}
