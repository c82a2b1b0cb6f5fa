using Marten;
using Recovery.Detox.Eligibility;

namespace Recovery.Detox.Plans;

/// <summary>What this clinic's detox planning knows of a patient: the latest completed assessment, and the plans.</summary>
public sealed record PatientPlans(Guid PatientId, CompletedAssessment? LatestCompletedAssessment, IReadOnlyList<PlanSummary> Plans)
{
    internal static async Task<IResult> Get(Guid patientId, IQuerySession session, CancellationToken ct)
    {
        var latest = await session.Query<CompletedAssessment>().Where(a => a.PatientId == patientId)
            .OrderByDescending(a => a.CompletedAt).FirstOrDefaultAsync(ct);
        var plans = await session.Query<DetoxPlan>().Where(p => p.PatientId == patientId).OrderBy(p => p.DraftedAt).ToListAsync(ct);
        return Results.Ok(new PatientPlans(patientId, latest, plans.Select(PlanSummary.Of).ToList()));
    }
}

public sealed record PlanSummary(Guid PlanId, Guid EpisodeId, PlanStatus Status, Medication Medication, DateTimeOffset DraftedAt,
    int DosesGiven, PlanClosing? Closing)
{
    public static PlanSummary Of(DetoxPlan p) => new(p.Id, p.EpisodeId, p.Status, p.Medication, p.DraftedAt, p.Doses.Count, p.Closing);
}
