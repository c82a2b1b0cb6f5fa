using Recovery.BuildingBlocks.Http;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Patients;
using Recovery.Counseling.Sessions;

namespace Recovery.Counseling;

/// <summary>The Counseling service's HTTP API. Every route acts for the caller's clinic.</summary>
public static class CounselingApi
{
    public static void MapCounselingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireClinic(Roles.Clinician, Roles.Counselor).WithTags("Counseling");

        api.MapGet("/counseling-sessions/{sessionId}", SessionView.Get).WithSummary("A session's current state, note included");
        api.MapCounselingSessionCommands();
        api.MapGet("/patients/{patientId}/counseling", PatientCounseling.Get).WithSummary("The patient's sessions and help groups at this clinic");

        api.MapGet("/help-groups", HelpGroupSummary.List).WithSummary("The clinic's help groups");
        api.MapGet("/help-groups/{groupId}", HelpGroupView.Get).WithSummary("A help group with its members and their meetings");
        api.MapHelpGroupCommands();
    }
}
