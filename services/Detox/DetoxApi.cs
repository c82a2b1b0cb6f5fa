using Recovery.BuildingBlocks.Http;
using Recovery.Detox.Approval;
using Recovery.Detox.Closing;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Switching;
using Recovery.Detox.Withdrawal;

namespace Recovery.Detox;

/// <summary>The Detox planning service's HTTP API. Every route acts for the caller's clinic.</summary>
public static class DetoxApi
{
    public static void MapDetoxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireClinic(Roles.Clinician).WithTags("Detox planning");

        api.MapPost("/detox-plans", PlanDrafting.Handle).WithSummary("Draft a detox plan after a completed assessment");
        api.MapGet("/detox-plans/{planId}", DetoxPlanView.Get).WithSummary("A plan's current state and what its next first dose needs");
        api.MapGet("/patients/{patientId}/detox-plans", PatientPlans.Get).WithSummary("The patient's eligibility and plans at this clinic");
        api.MapPost("/detox-plans/{planId}/approval", PlanApproval.Handle).WithSummary("Approve the plan (a second clinician)");
        api.MapPost("/detox-plans/{planId}/last-opioid-use", LastOpioidUse.Handle).WithSummary("Record the patient's last opioid use");
        api.MapPost("/detox-plans/{planId}/induction-urine-screens", InductionUrineScreens.Handle)
            .WithSummary("Record a pre-induction urine screen for opioids");
        api.MapPost("/detox-plans/{planId}/withdrawal-checks", WithdrawalChecks.Handle).WithSummary("Check withdrawal with COWS");
        api.MapPost("/detox-plans/{planId}/doses", Doses.Handle).WithSummary("Record a dose given (a first dose is an induction)");
        api.MapPost("/detox-plans/{planId}/missed-doses", MissedDoses.Handle).WithSummary("Record a missed dose");
        api.MapPost("/detox-plans/{planId}/medication-switch", MedicationSwitching.Handle).WithSummary("Switch the plan's medication");
        api.MapPost("/detox-plans/{planId}/completion", DetoxClosing.HandleCompletion).WithSummary("Complete the detox");
        api.MapPost("/detox-plans/{planId}/dropout", DetoxClosing.HandleDropout).WithSummary("Record that the patient dropped out");
        api.MapGet("/induction-protocol", InductionProtocolView.Get).WithSummary("The caller clinic's effective induction protocol");
    }
}
