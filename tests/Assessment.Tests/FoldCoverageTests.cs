using Recovery.Assessment.Completion;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Patients;
using Recovery.Testing;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class FoldCoverageTests
{
    [Fact]
    public void The_assessment_document_includes_every_event_the_assessment_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new AssessmentEpisodeProjection(), AssessmentEvolution.Evolve,
            AssessmentEvolution.Fold([Started]), typeof(AssessmentEpisode).Assembly,
            [.. EverythingForCompletion, AssessmentCompletion.Decide(AssessmentEvolution.Fold(EverythingForCompletion), new CompleteAssessment(Now)).Events[0]]);

    [Fact]
    public void The_registration_document_includes_every_event_the_registration_folds() =>
        FoldCoverage.ProjectionIncludesEveryFoldedEvent(new RegisteredPatientProjection(), PatientRegistration.Evolve,
            new RegisteredPatient(), typeof(RegisteredPatient).Assembly, []);
}
