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

        api.MapGet("/patients", PatientLookup.Find).WithSummary("Find the clinic's own patients by record number, name or date of birth");
        api.MapPost("/patients/{patientId}/link-codes", PatientLookup.IssueLinkCode)
            .WithSummary("A single-use link code the patient carries to register at another clinic");
        api.MapGet("/patients/{patientId}", PatientRecord.Get).WithSummary("The patient's registration and assessments at this clinic");
        api.MapGet("/assessments/{assessmentId}", AssessmentView.Get).WithSummary("An assessment's current state");
        api.MapRegistrationCommands();
        api.MapAssessmentCommands();
    }
}
