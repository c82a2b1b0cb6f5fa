using Recovery.Testing;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Tests;

public class FoldCoverageTests
{
    [Fact]
    public void The_consent_document_includes_every_event_a_consent_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new ConsentProjection(), ConsentProjection.Evolve, new Consent(),
            typeof(Consent).Assembly, []);
}
