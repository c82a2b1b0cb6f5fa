using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Induction;

namespace Recovery.Detox.Plans;

/// <summary>One thing the next first dose still needs: the rule it would break now, and the values.</summary>
public sealed record InductionNeed(string Rule, string Detail, IReadOnlyDictionary<string, object?>? Values);

/// <summary>The induction ahead (the first dose of the current medication), judged as if given now.</summary>
public sealed record NextFirstDose(Medication Medication, bool ReadyNow, IReadOnlyList<InductionNeed> Needs, IReadOnlyList<string> Limits)
{
    public static NextFirstDose? Of(DetoxPlan plan, InductionProtocol protocol, DateTimeOffset now)
    {
        if (!plan.IsOpen || plan.CourseFirstDose() is not null) return null;
        var unmet = new List<DomainError>();
        if (PlanRules.MustBeApproved(plan) is { } approval) unmet.Add(approval);
        unmet.AddRange(InductionRules.Unmet(plan, now, protocol));
        IReadOnlyList<string> limits = plan.Medication == Medication.Methadone
            ? [$"first dose at most {protocol.MethadoneFirstDoseCapMg} mg and day-1 total at most {protocol.MethadoneDayOneCapMg} mg, " +
               "unless the dose carries an overrideReason"]
            : [];
        return new NextFirstDose(plan.Medication, unmet.Count == 0,
            unmet.Select(e => new InductionNeed(e.Rule, e.Message, e.Values)).ToList(), limits);
    }
}

/// <summary>A detox plan as the API shows it: what it is, where it stands, what was given and checked, what is next.</summary>
public sealed record DetoxPlanView(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    PlanStatus Status,
    Medication Medication,
    IReadOnlyList<DosePhase> Schedule,
    string DraftedBy,
    DateTimeOffset DraftedAt,
    string? ApprovedBy,
    DateTimeOffset? ApprovedAt,
    IReadOnlyList<OpioidUse> OpioidUses,
    IReadOnlyList<UrineScreen> UrineScreens,
    IReadOnlyList<WithdrawalCheck> WithdrawalChecks,
    IReadOnlyList<Dose> Doses,
    IReadOnlyList<DateOnly> MissedDoses,
    IReadOnlyList<Switch> Switches,
    PlanClosing? Closing,
    NextFirstDose? NextFirstDose)
{
    public static DetoxPlanView Of(DetoxPlan p, InductionProtocol protocol, DateTimeOffset now) => new(p.Id, p.PatientId, p.EpisodeId,
        p.Status, p.Medication, p.Schedule, p.DraftedBy, p.DraftedAt, p.ApprovedBy, p.ApprovedAt, p.OpioidUses, p.UrineScreens,
        p.WithdrawalChecks, [.. p.Doses.OrderBy(d => d.GivenAt)], [.. p.MissedDoses.Order()], p.Switches, p.Closing,
        NextFirstDose.Of(p, protocol, now));

    internal static async Task<IResult> Get(Guid planId, IQuerySession session, ClinicProtocols<InductionProtocol> protocols,
        TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<DetoxPlan>(planId, ct) is { } plan
            ? Results.Ok(Of(plan, protocols.For(session.TenantId), clock.GetUtcNow()))
            : Problems.From(NotFound(planId));

    internal static DomainError NotFound(Guid planId) => DomainError.NotFound("detox-plan-not-found", $"No detox plan {planId} at this clinic.");

    /// <summary>Runs a command on a plan under the caller clinic's protocol and answers with the plan's new state.</summary>
    internal static Task<IResult> Change(IDocumentSession session, Guid planId, ClinicProtocols<InductionProtocol> protocols,
        TimeProvider clock, Func<DetoxPlan, InductionProtocol, Decision> decide, CancellationToken ct)
    {
        var protocol = protocols.For(session.TenantId);
        return CommandHandling.Decide<DetoxPlan>(session, planId, "detox-plan-not-found", plan => decide(plan, protocol),
            (before, events) => Results.Ok(Of(events.Aggregate(before, DetoxPlanEvolution.Evolve), protocol, clock.GetUtcNow())), ct);
    }
}
