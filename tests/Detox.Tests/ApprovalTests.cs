using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Approval;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class ApprovalTests
{
    [Fact]
    public void A_second_clinician_approves() =>
        Scenario()
            .Given(Drafted(Medication.Methadone))
            .When(p => PlanApproval.Decide(p, new ApprovePlan(Approver, Now)))
            .Then(new DetoxPlanApproved(PlanId, PatientId, EpisodeId, Approver, Now));

    [Theory]
    [InlineData(Drafter)]
    [InlineData(" DR-ADA ")]
    public void The_clinician_who_drafted_cannot_approve(string approvedBy)
    {
        var error = Scenario()
            .Given(Drafted(Medication.Methadone))
            .When(p => PlanApproval.Decide(p, new ApprovePlan(approvedBy, Now)))
            .ThenRejected(ErrorKind.RuleBroken, "second-clinician-required");
        Assert.Equal(Drafter, error.Values!["draftedBy"]);
    }

    [Fact]
    public void A_plan_is_approved_once() =>
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => PlanApproval.Decide(p, new ApprovePlan("dr-dee", Now)))
            .ThenRejected(ErrorKind.Conflict, "plan-already-approved");

    [Fact]
    public void Approval_cannot_precede_the_draft() =>
        Scenario()
            .Given(Drafted(Medication.Methadone))
            .When(p => PlanApproval.Decide(p, new ApprovePlan(Approver, Now.AddDays(-4))))
            .ThenRejected(ErrorKind.RuleBroken, "approval-before-draft");

    [Fact]
    public void No_dose_before_approval() =>
        Scenario()
            .Given(Drafted(Medication.Methadone))
            .When(p => Doses.Decide(p, Dose(Medication.Methadone, 20m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "plan-not-approved");

    [Fact]
    public void A_dose_cannot_be_dated_before_the_approval() =>
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => Doses.Decide(p, Dose(Medication.Methadone, 20m, Approved.ApprovedAt.AddMinutes(-1)), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "dose-before-approval");

    [Fact]
    public void Approval_is_not_in_the_future_and_names_the_authenticated_approver()
    {
        var error = new ApprovePlanRequest(Now.AddHours(1)).Validate(Now, Approver).Error!;
        Assert.Contains("approvedAt", error.Errors!.Keys);
        Assert.Equal(Approver, new ApprovePlanRequest(Now.AddMinutes(4)).Validate(Now, Approver).Value!.ApprovedBy);
    }
}
