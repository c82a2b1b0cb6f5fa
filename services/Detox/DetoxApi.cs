using Recovery.BuildingBlocks.Http;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox;

/// <summary>The Detox planning service's HTTP API. Every route acts for the caller's clinic.</summary>
public static class DetoxApi
{
    public static void MapDetoxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireClinic(Roles.Clinician).WithTags("Detox planning");

        api.MapGet("/detox-plans/{planId}", DetoxPlanView.Get).WithSummary("A plan's current state, what its next first dose needs and the limits of its next dose");
        api.MapGet("/detox-plans", WorklistPlan.Get).WithSummary("The clinic's open plans by status: awaiting approval, the dosing window (status=awaiting-induction,in-treatment)");
        api.MapGet("/patients/{patientId}/detox-plans", PatientPlans.Get).WithSummary("The patient's eligibility and plans at this clinic");
        api.MapDetoxPlanCommands();
        api.MapGet("/induction-protocol", InductionProtocolView.Get).WithSummary("The caller clinic's effective induction protocol");
        api.MapGet("/dosing-protocol", DosingProtocolView.Get).WithSummary("The caller clinic's effective dosing limits (titration, daily maxima)");
    }
}
