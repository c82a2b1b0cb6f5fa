using Recovery.Clinical;
using Recovery.Detox.Plans;
using Recovery.Testing;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class FoldCoverageTests
{
    [Fact]
    public void The_plan_document_includes_every_event_the_plan_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new DetoxPlanProjection(), DetoxPlanEvolution.Evolve,
            DetoxPlanEvolution.Fold([Drafted(Medication.Methadone), Approved]), typeof(DetoxPlan).Assembly, PublishingTests.OneOfEach);
}
