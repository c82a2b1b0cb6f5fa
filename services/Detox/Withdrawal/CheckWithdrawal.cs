using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
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
    public Validated<CheckWithdrawal> Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var items = new Dictionary<CowsItem, int>();
        var named = new HashSet<CowsItem>();
        if (Items is null) errors.Add("items", "is required: the 11 COWS item scores");
        foreach (var (name, score) in Items ?? [])
        {
            if (!Kebab.TryParse<CowsItem>(name, out var item))
                errors.Add($"items.{name}", $"is not a COWS item; the items are {string.Join(", ", Kebab.AllOf<CowsItem>())}");
            else if (!named.Add(item)) errors.Add($"items.{name}", "is given twice");
            else if (score is null) errors.Add($"items.{name}", "is required");
            else items[item] = score.Value;
        }
        if (Items is not null)
            foreach (var missing in Enum.GetValues<CowsItem>().Where(i => !named.Contains(i)))
                errors.Add($"items.{Kebab.Of(missing)}", "is required");
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

        var (missing, invalid) = Cows.Check(command.Items);
        if (missing.Count > 0)
            return DomainError.RuleBroken("cows-items-missing", "A COWS score needs all 11 items.",
                missing.ToDictionary(i => $"items.{Kebab.Of(i)}", _ => new[] { "is required" }));
        if (invalid.Count > 0)
            return DomainError.RuleBroken("cows-item-off-scale",
                "COWS item scores must be on each item's own scale; they are never rounded or clamped: " +
                string.Join("; ", invalid.Select(e => $"{Kebab.Of(e.Item)} = {e.Score} (allowed {string.Join(", ", e.Allowed)})")),
                invalid.ToDictionary(e => $"items.{Kebab.Of(e.Item)}",
                    e => new[] { $"{e.Score} is not on this item's scale; allowed: {string.Join(", ", e.Allowed)}" }),
                invalid.ToDictionary(e => Kebab.Of(e.Item), e => (object?)e.Score));

        var score = Cows.Score(command.Items);
        return Decision.Accept(new WithdrawalChecked(plan.Id, plan.PatientId, plan.EpisodeId, command.ScoredAt, score.Items, score.Total,
            score.Band));
    }

    internal static Task<IResult> Handle(Guid planId, CheckWithdrawalRequest request, IDocumentSession session,
        ClinicProtocols<InductionProtocol> protocols, TimeProvider clock, CancellationToken ct) =>
        request.Validate(clock.GetUtcNow()) switch
        {
            { Error: { } invalid } => Task.FromResult(Problems.From(invalid)),
            { Value: var command } => DetoxPlanView.Change(session, planId, protocols, clock, (plan, _) => Decide(plan, command!), ct),
        };
}
