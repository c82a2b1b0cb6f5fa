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

        api.MapPost("/counseling-sessions", SessionScheduling.Handle).WithSummary("Schedule an individual counseling session");
        api.MapGet("/counseling-sessions/{sessionId}", SessionView.Get).WithSummary("A session's current state, note included");
        api.MapPost("/counseling-sessions/{sessionId}/attendance", SessionAttendance.Handle).WithSummary("Record that the patient attended");
        api.MapPost("/counseling-sessions/{sessionId}/no-show", SessionNoShow.Handle).WithSummary("Record that the patient did not come");
        api.MapPost("/counseling-sessions/{sessionId}/cancellation", SessionCancellation.Handle).WithSummary("Cancel a session");
        api.MapGet("/patients/{patientId}/counseling", PatientCounseling.Get).WithSummary("The patient's sessions and help groups at this clinic");

        api.MapPost("/help-groups", HelpGroupCreation.Handle).WithSummary("Set up a help group at the clinic");
        api.MapGet("/help-groups", HelpGroupSummary.List).WithSummary("The clinic's help groups");
        api.MapGet("/help-groups/{groupId}", HelpGroupView.Get).WithSummary("A help group with its members and their meetings");
        api.MapPost("/help-groups/{groupId}/enrolments", GroupEnrolment.Handle).WithSummary("Enrol a patient in the group");
        api.MapPost("/help-groups/{groupId}/meetings/{meetingOn}/attendance", MeetingAttendance.Attended)
            .WithSummary("Record that a member attended the meeting of that day (yyyy-MM-dd)");
        api.MapPost("/help-groups/{groupId}/meetings/{meetingOn}/absence", MeetingAttendance.Missed)
            .WithSummary("Record that a member missed the meeting of that day (yyyy-MM-dd)");
        api.MapPost("/help-groups/{groupId}/withdrawals", GroupLeaving.Handle).WithSummary("Record that a patient left the group");
    }
}
