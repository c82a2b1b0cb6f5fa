using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Time;
using Marten;
using Npgsql;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Drafting;

/// <summary>A clinician drafted a detox plan for a patient whose assessment is complete; the assessment is its episode.</summary>
public sealed record DetoxPlanDrafted(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    Medication Medication,
    IReadOnlyList<DosePhase> Schedule,
    string DraftedBy,
    DateTimeOffset DraftedAt);

public sealed record DraftPlan(Guid PlanId, Guid PatientId, Medication Medication, IReadOnlyList<DosePhase> Schedule, string DraftedBy,
    DateTimeOffset DraftedAt);

/// <summary>DraftedAt defaults to now; a plan written on paper earlier may be entered with its real time.</summary>
public sealed record DraftPlanRequest(Guid? PatientId, string? Medication, List<DosePhaseRequest?>? Schedule,
    DateTimeOffset? DraftedAt = null)
{
    /// <param name="draftedBy">The authenticated clinician drafting (the token's user), never a name in the body.</param>
    public Validated<DraftPlan> Validate(Guid planId, ClinicNow now, string draftedBy)
    {
        var errors = new FieldErrors();
        if (errors.Required("patientId", PatientId) == Guid.Empty) errors.Add("patientId", "must not be the empty id");
        Medication? medication = Kebab.TryParse<Medication>(Medication, out var m) ? m : null;
        if (medication is null) errors.Add("medication", $"must be one of {string.Join(", ", Kebab.AllOf<Medication>())}");
        var schedule = DoseSchedule.Validate(errors, "schedule", Schedule, medication);
        var draftedAt = errors.NotInFuture("draftedAt", DraftedAt, now);
        if (errors.Any) return errors.ToError();
        return new DraftPlan(planId, PatientId!.Value, medication!.Value, schedule, draftedBy, draftedAt);
    }
}

public static class PlanDrafting
{
    /// <summary>The unique index that keeps one open plan per patient and clinic, even when two drafts race.</summary>
    public const string OneOpenPlanIndex = "mt_doc_detoxplan_one_open_per_patient";

    /// <param name="latestAssessment">The patient's latest assessment completed at this clinic, if any.</param>
    /// <param name="openPlan">The patient's plan at this clinic that is neither completed nor dropped out, if any.</param>
    public static Decision Decide(CompletedAssessment? latestAssessment, DetoxPlan? openPlan, DraftPlan command)
    {
        if (latestAssessment is null)
            return DomainError.RuleBroken("assessment-not-completed",
                $"Patient {command.PatientId} has no completed assessment at this clinic; detox is planned once the assessment is complete.",
                values: new Dictionary<string, object?> { ["patientId"] = command.PatientId });
        if (!latestAssessment.DiagnosesOud)
            return DomainError.RuleBroken("no-oud-diagnosis",
                $"Assessment {latestAssessment.Id} found no opioid use disorder (severity {latestAssessment.Severity}); there is no detox to plan.",
                values: new Dictionary<string, object?> { ["assessmentId"] = latestAssessment.Id, ["severity"] = latestAssessment.Severity });
        if (openPlan is not null) return PlanOpen(openPlan);

        return Decision.Accept(new DetoxPlanDrafted(command.PlanId, command.PatientId, latestAssessment.Id, command.Medication,
            command.Schedule, command.DraftedBy, command.DraftedAt));
    }

    public static DomainError PlanOpen(DetoxPlan open) => DomainError.Conflict("detox-plan-open",
        $"Patient {open.PatientId} already has detox plan {open.Id} open at this clinic; complete it or record the dropout first.",
        new Dictionary<string, object?> { ["planId"] = open.Id, ["status"] = Kebab.Of(open.Status) });

    /// <summary>What drafting reads first: the patient's latest completed assessment here, and any open plan.</summary>
    public static async Task<(CompletedAssessment? Latest, DetoxPlan? Open)> Read(DraftPlan command, CommandContext context) =>
        (await context.Session.Query<CompletedAssessment>().Where(a => a.PatientId == command.PatientId)
            .OrderByDescending(a => a.CompletedAt).FirstOrDefaultAsync(context.Cancellation),
         await OpenPlanOf(context.Session, command.PatientId, context.Cancellation));

    /// <summary>Lost a race with another draft for the same patient: the refusal it would have had coming second.</summary>
    public static async Task<DomainError> Winner(DraftPlan command, CommandContext context) =>
        await OpenPlanOf(context.Session, command.PatientId, context.Cancellation) is { } winner
            ? PlanOpen(winner)
            : DomainError.Conflict("concurrent-change", "Another plan for this patient was recorded at the same time; retry.");

    private static Task<DetoxPlan?> OpenPlanOf(IQuerySession session, Guid patientId, CancellationToken ct) =>
        session.Query<DetoxPlan>().FirstOrDefaultAsync(
            p => p.PatientId == patientId && p.Status != PlanStatus.Completed && p.Status != PlanStatus.DroppedOut, ct);
}
