using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Withdrawal;

/// <summary>A COWS withdrawal check during detox: the 11 item scores, their total and band (the same scale as at assessment).</summary>
public sealed record WithdrawalChecked(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    DateTimeOffset ScoredAt,
    IReadOnlyDictionary<CowsItem, int> Items,
    int Total,
    WithdrawalBand Band);

public sealed record CheckWithdrawal(DateTimeOffset ScoredAt, IReadOnlyDictionary<CowsItem, int> Items);

public sealed record CheckWithdrawalRequest(DateTimeOffset? ScoredAt, Dictionary<string, int?>? Items)
{
    /// <summary>Every item must be present and named; whether each score is on its scale is a clinical rule, decided later.</summary>
    public Validated<CheckWithdrawal> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var items = errors.CowsItems(Items);
        var scoredAt = errors.NotInFuture("scoredAt", ScoredAt, now);
        if (errors.Any) return errors.ToError();
        return new CheckWithdrawal(scoredAt, items);
    }
}

public static class WithdrawalChecks
{
    public static Decision Decide(DetoxPlan plan, CheckWithdrawal command)
    {
        if (PlanRules.MustBeOpen(plan) is { } closed) return closed;

        if (CowsScoring.OffScale(command.Items) is { } offScale) return offScale;

        var score = Cows.Score(command.Items);
        return Decision.Accept(new WithdrawalChecked(plan.Id, plan.PatientId, plan.EpisodeId, command.ScoredAt, score.Items, score.Total,
            score.Band));
    }
}
