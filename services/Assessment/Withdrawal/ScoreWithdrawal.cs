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
        var items = errors.CowsItems(Items);
        var scoredAt = errors.NotInFuture("scoredAt", ScoredAt, now);
        if (errors.Any) return errors.ToError();
        return new ScoreWithdrawal(scoredAt, items);
    }
}

public static class WithdrawalScoring
{
    public static Decision Decide(AssessmentEpisode assessment, ScoreWithdrawal command)
    {
        if (AssessmentRules.MustBeInProgress(assessment) is { } refused) return refused;

        if (CowsScoring.OffScale(command.Items) is { } offScale) return offScale;

        var score = Cows.Score(command.Items);
        return Decision.Accept(new WithdrawalScored(assessment.Id, assessment.PatientId, command.ScoredAt, score.Items, score.Total, score.Band));
    }
}
