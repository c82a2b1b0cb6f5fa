using Recovery.BuildingBlocks.Commands;
using Recovery.Detox.Admission;
using Recovery.Detox.Approval;
using Recovery.Detox.Closing;
using Recovery.Detox.Corrections;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Induction;
using Recovery.Detox.ScheduleChanges;
using Recovery.Detox.Switching;
using Recovery.Detox.Withdrawal;

namespace Recovery.Detox.Plans;

/// <summary>
/// Every command on a detox plan, one line each; every decision may read the clinic's protocols and the episode's assessment.
/// </summary>
public static class DetoxPlanCommands
{
    public static void MapDetoxPlanCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<DetoxPlan, PlanNeeds>(api, "planId", DetoxPlanView.NotFound, p => p.PatientId, DetoxPlanEvolution.Evolve,
                PlanNeeds.Of, (p, needs, c, personal) => DetoxPlanView.Of(p, needs, c.Now, personal), p => $"/detox-plans/{p.Id}",
                DetoxPlanView.HoldsPersonalText)
            .Start("/detox-plans", "Draft a detox plan after a completed assessment",
                (DraftPlanRequest r, CommandContext c) => r.Validate(Guid.CreateVersion7(), c.Now, c.By.UserId), (cmd, _) => cmd.PlanId,
                PlanDrafting.Read, (read, cmd, _) => PlanDrafting.Decide(read.Latest, read.Open, cmd),
                lostRace: PlanDrafting.Winner, uniqueIndex: PlanDrafting.OneOpenPlanIndex)
            .On("/detox-plans/{planId}/approval", "Approve the plan (a second clinician)",
                (ApprovePlanRequest r, CommandContext c) => r.Validate(c.Now, c.By.UserId), (p, cmd, _, _) => PlanApproval.Decide(p, cmd))
            .On("/detox-plans/{planId}/last-opioid-use", "Record the patient's last opioid use",
                (RecordLastOpioidUseRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => LastOpioidUse.Decide(p, cmd))
            .On("/detox-plans/{planId}/induction-urine-screens", "Record a pre-induction urine screen for opioids",
                (RecordInductionUrineScreenRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => InductionUrineScreens.Decide(p, cmd))
            .On("/detox-plans/{planId}/withdrawal-checks", "Check withdrawal with COWS",
                (CheckWithdrawalRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => WithdrawalChecks.Decide(p, cmd))
            .On("/detox-plans/{planId}/doses", "Record a dose given (a first dose is an induction)",
                (GiveDoseRequest r, CommandContext c) => r.Validate(c.Now, c.By.UserId),
                (p, cmd, needs, c) => Doses.Decide(p, cmd, needs, c.Seal), seals: cmd => cmd.OverrideReason is not null)
            .On("/detox-plans/{planId}/missed-doses", "Record a missed dose",
                (RecordMissedDoseRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => MissedDoses.Decide(p, cmd))
            .On("/detox-plans/{planId}/medication-switch", "Switch the plan's medication",
                (SwitchMedicationRequest r, CommandContext c) => r.Validate(c.Now, c.By.UserId),
                (p, cmd, _, c) => MedicationSwitching.Decide(p, cmd, c.Seal), seals: _ => true)
            .On("/detox-plans/{planId}/schedule-changes", "Draft a change of the approved schedule (a second clinician approves it)",
                (DraftScheduleChangeRequest r, CommandContext c) => r.Validate(Guid.CreateVersion7(), c.Now, c.By.UserId),
                (p, cmd, _, _) => ScheduleChanging.Draft(p, cmd))
            .On("/detox-plans/{planId}/schedule-changes/{changeId}/approval", "Approve a schedule change (a second clinician)",
                (ApproveScheduleChangeRequest r, CommandContext c) => r.Validate(c.RouteId("changeId"), c.Now, c.By.UserId),
                (p, cmd, _, _) => ScheduleChanging.Approve(p, cmd), emptyBody: () => new ApproveScheduleChangeRequest())
            .On("/detox-plans/{planId}/admission-justification", "Record the admission basis for methadone (mild or unknown OUD severity)",
                (RecordAdmissionJustificationRequest r, CommandContext c) => r.Validate(c.Now, c.By.UserId),
                (p, cmd, _, c) => AdmissionJustifications.Decide(p, cmd, c.Seal), seals: _ => true)
            .On("/detox-plans/{planId}/completion", "Complete the detox",
                (CompleteDetoxRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => DetoxClosing.Complete(p, cmd),
                emptyBody: () => new CompleteDetoxRequest(null))
            .On("/detox-plans/{planId}/dropout", "Record that the patient dropped out",
                (RecordDropoutRequest r, CommandContext c) => r.Validate(c.Now), (p, cmd, _, _) => DetoxClosing.DropOut(p, cmd))
            .Corrects((p, fact, correction, needs, c) => PlanCorrections.Decide(p, fact, correction, needs.Induction, c.Seal));
}
