using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.Assessment.Completion;
using Recovery.Assessment.Criteria;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Withdrawal;
using Recovery.Clinical;

namespace Recovery.Assessment.Episodes;

public enum AssessmentStatus
{
    InProgress,
    Completed,
}

public enum LabTest
{
    Hiv,
    HepatitisB,
    HepatitisC,
}

public enum LabOutcome
{
    Positive,
    Negative,
    Indeterminate,
}

public enum CardiovascularConclusion
{
    Normal,
    AbnormalNotSignificant,
    AbnormalSignificant,
}

public sealed record OudFinding(
    IReadOnlyList<OudCriterion> CriteriaMet,
    bool OnlyUnderMedicalSupervision,
    int CriteriaCounted,
    OudSeverity Severity,
    string? Icd10Code);

public sealed record LabFinding(LabOutcome Result, DateOnly TestedOn);

public sealed record CardiovascularStatus(
    int HeartRate,
    int SystolicBloodPressure,
    int DiastolicBloodPressure,
    int QtcMilliseconds,
    CardiovascularConclusion Conclusion);

public sealed record WithdrawalFinding(DateTimeOffset ScoredAt, IReadOnlyDictionary<CowsItem, int> Items, int Total, WithdrawalBand Band);

/// <summary>
/// One assessment episode of a patient at a clinic: the intake that opens a treatment episode.
/// Its state is folded from its events by <see cref="AssessmentEvolution.Evolve"/>.
/// </summary>
public sealed record AssessmentEpisode
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public AssessmentStatus Status { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public OudFinding? Criteria { get; init; }
    public IReadOnlyDictionary<LabTest, LabFinding> Labs { get; init; } = new Dictionary<LabTest, LabFinding>();
    public CardiovascularStatus? Cardiovascular { get; init; }
    public IReadOnlyList<WithdrawalFinding> WithdrawalScores { get; init; } = [];
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>What must still be recorded before the assessment can be completed.</summary>
    public IReadOnlyList<string> MissingForCompletion =>
    [
        .. Criteria is null ? ["criteria"] : Array.Empty<string>(),
        .. Enum.GetValues<LabTest>().Where(t => !Labs.ContainsKey(t)).Select(t => "lab:" + Kebab.Of(t)),
        .. Cardiovascular is null ? ["cardiovascular"] : Array.Empty<string>(),
    ];
}

/// <summary>Folds an assessment's events into its state: a pure function, so decisions are tested without a database.</summary>
public static class AssessmentEvolution
{
    public static AssessmentEpisode Evolve(AssessmentEpisode? state, object @event) => @event switch
    {
        AssessmentStarted e => new AssessmentEpisode
        {
            Id = e.AssessmentId, PatientId = e.PatientId, Status = AssessmentStatus.InProgress, StartedAt = e.StartedAt,
        },
        OudCriteriaRecorded e => Existing(state) with
        {
            Criteria = new OudFinding(e.CriteriaMet, e.OnlyUnderMedicalSupervision, e.CriteriaCounted, e.Severity, e.Icd10Code),
        },
        LabResultRecorded e => Existing(state) with
        {
            Labs = new Dictionary<LabTest, LabFinding>(Existing(state).Labs) { [e.Test] = new LabFinding(e.Result, e.TestedOn) },
        },
        CardiovascularStatusRecorded e => Existing(state) with
        {
            Cardiovascular = new CardiovascularStatus(e.HeartRate, e.SystolicBloodPressure, e.DiastolicBloodPressure,
                e.QtcMilliseconds, e.Conclusion),
        },
        WithdrawalScored e => Existing(state) with
        {
            WithdrawalScores = [.. Existing(state).WithdrawalScores, new WithdrawalFinding(e.ScoredAt, e.Items, e.Total, e.Band)],
        },
        AssessmentCompleted e => Existing(state) with { Status = AssessmentStatus.Completed, CompletedAt = e.CompletedAt },
        _ => Existing(state),
    };

    public static AssessmentEpisode Fold(IEnumerable<object> events) =>
        events.Aggregate((AssessmentEpisode?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static AssessmentEpisode Existing(AssessmentEpisode? state) =>
        state ?? throw new InvalidOperationException("An assessment event arrived before AssessmentStarted.");
}

/// <summary>Keeps each assessment's current state as a document, in the same transaction as its events.</summary>
public sealed class AssessmentEpisodeProjection : SingleStreamProjection<AssessmentEpisode, Guid>
{
    public AssessmentEpisodeProjection()
    {
        IncludeType<AssessmentStarted>();
        IncludeType<OudCriteriaRecorded>();
        IncludeType<LabResultRecorded>();
        IncludeType<CardiovascularStatusRecorded>();
        IncludeType<WithdrawalScored>();
        IncludeType<AssessmentCompleted>();
    }

    public override AssessmentEpisode Evolve(AssessmentEpisode? snapshot, Guid id, IEvent e) =>
        AssessmentEvolution.Evolve(snapshot, e.Data);
}
