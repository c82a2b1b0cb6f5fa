using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Assessment.Episodes;

/// <summary>An assessment as the API shows it: its state and what completion still needs.</summary>
public sealed record AssessmentView(
    Guid AssessmentId,
    Guid PatientId,
    AssessmentStatus Status,
    DateTimeOffset StartedAt,
    OudFinding? Criteria,
    IReadOnlyDictionary<LabTest, LabFinding> Labs,
    CardiovascularStatus? Cardiovascular,
    IReadOnlyList<WithdrawalFinding> WithdrawalScores,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> MissingForCompletion)
{
    public static AssessmentView Of(AssessmentEpisode a) => new(a.Id, a.PatientId, a.Status, a.StartedAt, a.Criteria, a.Labs,
        a.Cardiovascular, a.WithdrawalScores, a.CompletedAt, a.MissingForCompletion);

    internal static async Task<IResult> Get(Guid assessmentId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<AssessmentEpisode>(assessmentId, ct) is { } assessment
            ? Results.Ok(Of(assessment))
            : Problems.From(NotFound(assessmentId));

    internal static DomainError NotFound(Guid assessmentId) =>
        DomainError.NotFound("assessment-not-found", $"No assessment {assessmentId} at this clinic.");
}
