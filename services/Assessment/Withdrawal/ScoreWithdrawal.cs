using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Assessment.Withdrawal;

/// <summary>A COWS scoring: the 11 item scores, their total and band.</summary>
public sealed record WithdrawalScored(
    Guid AssessmentId,
    Guid PatientId,
    DateTimeOffset ScoredAt,
    IReadOnlyDictionary<CowsItem, int> Items,
    int Total,
    WithdrawalBand Band);

public sealed record ScoreWithdrawal(DateTimeOffset ScoredAt, IReadOnlyDictionary<CowsItem, int> Items);

public sealed record ScoreWithdrawalRequest(DateTimeOffset? ScoredAt, Dictionary<string, int?>? Items)
{
    /// <summary>Every item must be present and named; whether each score is on its scale is a clinical rule, decided later.</summary>
    public Validated<ScoreWithdrawal> Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var items = new Dictionary<CowsItem, int>();
        if (Items is null) errors.Add("items", "is required: the 11 COWS item scores");
        foreach (var (name, score) in Items ?? [])
        {
            if (!Kebab.TryParse<CowsItem>(name, out var item))
                errors.Add($"items.{name}", $"is not a COWS item; the items are {string.Join(", ", Kebab.AllOf<CowsItem>())}");
            else if (score is null) errors.Add($"items.{name}", "is required");
            else if (!items.TryAdd(item, score.Value)) errors.Add($"items.{name}", "is given twice");
        }
        if (Items is not null)
            foreach (var missing in Enum.GetValues<CowsItem>().Where(i => !items.ContainsKey(i) && !Items.Keys.Any(k => Kebab.TryParse<CowsItem>(k, out var named) && named == i)))
                errors.Add($"items.{Kebab.Of(missing)}", "is required");
        var scoredAt = ScoredAt ?? now;
        if (scoredAt > now.AddMinutes(5)) errors.Add("scoredAt", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new ScoreWithdrawal(scoredAt, items);
    }
}

public static class WithdrawalScoring
{
    public static Decision Decide(AssessmentEpisode assessment, ScoreWithdrawal command)
    {
        if (AssessmentRules.MustBeInProgress(assessment) is { } refused) return refused;

        var (missing, invalid) = Cows.Check(command.Items);
        if (missing.Count > 0)
            return DomainError.RuleBroken("cows-items-missing", "A COWS score needs all 11 items.",
                missing.ToDictionary(i => $"items.{Kebab.Of(i)}", _ => new[] { "is required" }));
        if (invalid.Count > 0)
            return DomainError.RuleBroken("cows-item-off-scale",
                "COWS item scores must be on each item's own scale; they are never rounded or clamped: " +
                string.Join("; ", invalid.Select(e => $"{Kebab.Of(e.Item)} = {e.Score} (allowed {string.Join(", ", e.Allowed)})")),
                invalid.ToDictionary(e => $"items.{Kebab.Of(e.Item)}",
                    e => new[] { $"{e.Score} is not on this item's scale; allowed: {string.Join(", ", e.Allowed)}" }));

        var score = Cows.Score(command.Items);
        return Decision.Accept(new WithdrawalScored(assessment.Id, assessment.PatientId, command.ScoredAt, score.Items, score.Total, score.Band));
    }

    internal static Task<IResult> Handle(Guid assessmentId, ScoreWithdrawalRequest request, IDocumentSession session,
        TimeProvider clock, CancellationToken ct) =>
        request.Validate(clock.GetUtcNow()) switch
        {
            { Error: { } invalid } => Task.FromResult(Problems.From(invalid)),
            { Value: var command } => AssessmentView.Change(session, assessmentId, a => Decide(a, command!), ct),
        };
}
