using Recovery.Relapse.Monitorings;

namespace Recovery.Relapse.Rules;

/// <summary>The clinic's relapse rule found a relapse in the monitoring's facts as of <paramref name="AsOf"/>.</summary>
public sealed record RelapseDetected(
    Guid MonitoringId,
    Guid PatientId,
    Guid? EpisodeId,
    string Rule,
    DateOnly RelapsedOn,
    string Evidence,
    DateOnly AsOf);

/// <summary>The rule the clinic applies and its protocol threshold.</summary>
public sealed record RelapseCheck(string Rule, RelapseProtocol Protocol)
{
    public RelapseEvaluation Evaluate(Monitoring monitoring, DateOnly asOf) => RelapseRules.Evaluate(Rule, monitoring, asOf, Protocol);
}

public static class RelapseDetection
{
    /// <summary>
    /// The facts just decided, followed by RelapseDetected when, with them, the rule finds a relapse as of
    /// <paramref name="asOf"/> and none is on record yet. A detection is never repeated; only a recomputation retracts one.
    /// </summary>
    public static object[] After(Monitoring before, IReadOnlyList<object> facts, RelapseCheck check, DateOnly asOf)
    {
        var after = facts.Aggregate(before, MonitoringEvolution.Evolve);
        if (after.Relapse is not null) return [.. facts];
        var evaluation = check.Evaluate(after, asOf);
        return evaluation.Relapsed ? [.. facts, Detected(after, evaluation)] : [.. facts];
    }

    public static RelapseDetected Detected(Monitoring monitoring, RelapseEvaluation evaluation) => new(monitoring.Id, monitoring.PatientId,
        monitoring.EpisodeId, evaluation.Rule, evaluation.RelapsedOn!.Value, evaluation.Evidence!, evaluation.AsOf);
}
