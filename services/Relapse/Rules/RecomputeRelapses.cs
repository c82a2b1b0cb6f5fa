using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse.Monitorings;

namespace Recovery.Relapse.Rules;

/// <summary>A recomputation under <paramref name="Rule"/> no longer finds the relapse detected under <paramref name="PreviousRule"/>.</summary>
public sealed record RelapseRetracted(
    Guid MonitoringId,
    Guid PatientId,
    Guid? EpisodeId,
    string PreviousRule,
    DateOnly PreviousRelapsedOn,
    string Rule,
    DateOnly AsOf,
    string? Reason = null);

public sealed record RecomputationResult(DateOnly AsOf, string Rule, int Monitorings, int RelapsesDetected, int RelapsesRetracted, int Unchanged);

/// <summary>
/// Re-derives relapse for every monitoring of the clinic under its current rule, from the stored facts, after the
/// clinic changed its rule or protocol. Only differences are appended, so running it twice changes nothing.
/// </summary>
public static class RelapseRecomputation
{
    /// <summary>
    /// A relapse still found on the same day is unchanged, whichever rule found it first. One found on another day
    /// replaces the old one: the old is retracted, the new detected.
    /// </summary>
    /// <param name="reason">Why the relapse is re-derived when not because the rule changed (a fact corrected), for a retraction.</param>
    public static Decision Decide(Monitoring monitoring, RelapseCheck check, DateOnly today, string? reason = null)
    {
        var asOf = monitoring.EvaluationDate(today);
        var evaluation = check.Evaluate(monitoring, asOf);
        var recorded = monitoring.Relapse;
        if (recorded is null)
            return evaluation.Relapsed ? Decision.Accept(RelapseDetection.Detected(monitoring, evaluation)) : Decision.Accept();
        if (evaluation.Relapsed && evaluation.RelapsedOn == recorded.RelapsedOn) return Decision.Accept();

        var retracted = new RelapseRetracted(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, recorded.Rule, recorded.RelapsedOn,
            check.Rule, asOf, reason);
        return evaluation.Relapsed
            ? Decision.Accept(retracted, RelapseDetection.Detected(monitoring, evaluation))
            : Decision.Accept(retracted);
    }

    // A batch over every monitoring of the clinic in one transaction: it stays explicit, outside the one-stream command table.
    internal static async Task<IResult> Handle(IDocumentSession session, ClinicProtocols<RelapseProtocol> protocols, ClinicClock clock,
        CancellationToken ct)
    {
        var today = clock.Now(session.TenantId).Today;
        var check = await ClinicRelapseRules.CheckFor(session, session.TenantId, protocols, ct);
        var ids = await session.Query<Monitoring>().Select(m => m.Id).ToListAsync(ct);
        int detected = 0, retracted = 0;
        var changed = await ConsumerStreams.DecideEach<Monitoring>(session, ids, m => Decide(m, check, today), decision =>
        {
            detected += decision.Events.Count(e => e is RelapseDetected);
            retracted += decision.Events.Count(e => e is RelapseRetracted);
        }, ct);
        // One transaction: all monitorings move to the rule together, or none does.
        await session.SaveChangesAsync(ct);
        return Results.Ok(new RecomputationResult(today, check.Rule, ids.Count, detected, retracted, ids.Count - changed));
    }
}
