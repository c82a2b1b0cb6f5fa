using Recovery.Assessment.Completion;
using Recovery.Assessment.Criteria;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Patients;
using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Assessment;

/// <summary>The Assessment service's HTTP API. Every route acts for the caller's clinic.</summary>
public static class AssessmentApi
{
    public static void MapAssessmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireClinic(Roles.Clinician).WithTags("Assessment");

        api.MapPost("/patients", PatientRegistration.Handle).WithSummary("Register a patient at the caller's clinic");
        api.MapGet("/patients/{patientId}", PatientRecord.Get).WithSummary("The patient's registration and assessments at this clinic");
        api.MapPost("/patients/{patientId}/assessments", AssessmentStart.Handle).WithSummary("Open an assessment (intake)");
        api.MapGet("/assessments/{assessmentId}", AssessmentView.Get).WithSummary("An assessment's current state");
        api.MapPost("/assessments/{assessmentId}/criteria", OudCriteria.Handle).WithSummary("Record DSM-5 OUD criteria");
        api.MapPost("/assessments/{assessmentId}/lab-results", LabResults.Handle).WithSummary("Record an HIV or hepatitis B/C result");
        api.MapPost("/assessments/{assessmentId}/cardiovascular-status", CardiovascularAssessment.Handle)
            .WithSummary("Record cardiovascular status");
        api.MapPost("/assessments/{assessmentId}/withdrawal-scores", WithdrawalScoring.Handle).WithSummary("Score withdrawal with COWS");
        api.MapPost("/assessments/{assessmentId}/completion", AssessmentCompletion.Handle).WithSummary("Complete the assessment");
    }
}
