using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Sessions;
using Recovery.Testing;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class FoldCoverageTests
{
    [Fact]
    public void The_session_document_includes_every_event_the_session_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new CounselingSessionProjection(), CounselingSessionEvolution.Evolve,
            CounselingSessionEvolution.Fold([Scheduled]), typeof(CounselingSession).Assembly, [Scheduled, Attended, Missed, Cancelled]);

    [Fact]
    public void The_group_document_includes_every_event_the_group_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new HelpGroupProjection(), HelpGroupEvolution.Evolve,
            HelpGroupEvolution.Fold([GroupCreated, EnrolledLongAgo]), typeof(HelpGroup).Assembly, [GroupCreated, EnrolledLongAgo, Left(Monday)]);
}
