using Recovery.BuildingBlocks.Http;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse;

/// <summary>The Relapse tracking service's HTTP API. Every route acts for the caller's clinic.</summary>
public static class RelapseApi
{
    public static void MapRelapseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireClinic(Roles.Clinician, Roles.Counselor).WithTags("Relapse tracking");
        // Which rule derives relapse is the clinic's clinical policy: its clinicians or administrators set it.
        var policy = app.MapGroup("").RequireClinic(Roles.Clinician, Roles.Admin).WithTags("Relapse tracking");

        api.MapMonitoringCommands();
        api.MapGet("/patients/{patientId}/monitoring", MonitoringRecords.OfPatient)
            .WithSummary("The patient's monitorings at this clinic, with the current rule's result");
        api.MapGet("/monitorings/{monitoringId}", MonitoringRecords.Get).WithSummary("A monitoring's facts, relapse and status");
        api.MapPost("/monitorings/reviews", MonitoringReview.Handle).WithSummary("Evaluate every open monitoring as of today");
        policy.MapPost("/monitorings/recomputation", RelapseRecomputation.Handle)
            .WithSummary("Re-derive relapse for every monitoring under the clinic's current rule");
        api.MapGet("/relapse-rule", ClinicRelapseRules.Get).WithSummary("The clinic's relapse rule");
        policy.MapClinicRelapseRuleCommands();
    }
}
