using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Detox.Plans;

/// <summary>
/// The clinic's open plans in the states a worklist asks for: plans awaiting a second clinician's approval, and the
/// dosing window's patients (awaiting induction or in treatment). The session is the caller clinic's tenant.
/// </summary>
public sealed record WorklistPlan(Guid PlanId, Guid PatientId, PlanStatus Status, Medication Medication, string DraftedBy,
    DateTimeOffset DraftedAt, int DosesGiven, DateTimeOffset? LastDoseAt)
{
    public const int Limit = 500;

    internal static async Task<IResult> Get(string? status, IQuerySession session, CancellationToken ct)
    {
        var open = new[] { PlanStatus.AwaitingApproval, PlanStatus.AwaitingInduction, PlanStatus.InTreatment };
        var wanted = new List<PlanStatus>();
        foreach (var name in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = open.Where(s => Kebab.Of(s) == name).ToList();
            if (match.Count == 0)
                return Problems.From(DomainError.Invalid("status", "request-invalid",
                    $"'{name}' is not an open plan's status: one or more of {string.Join(", ", open.Select(Kebab.Of))}"));
            wanted.Add(match[0]);
        }
        if (wanted.Count == 0) wanted.AddRange(open);
        var plans = await session.Query<DetoxPlan>().Where(p => wanted.Contains(p.Status))
            .OrderBy(p => p.DraftedAt).Take(Limit).ToListAsync(ct);
        return Results.Ok(new
        {
            plans = plans.Select(p => new WorklistPlan(p.Id, p.PatientId, p.Status, p.Medication, p.DraftedBy, p.DraftedAt, p.Doses.Count,
                p.Doses.Count == 0 ? null : p.Doses.Max(d => d.GivenAt))).ToList(),
        });
    }
}
