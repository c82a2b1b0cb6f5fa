using Recovery.Assessment.Corrections;
using Recovery.BuildingBlocks.Corrections;
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

/// <summary>A lab result as recorded, at its position in the assessment's stream (AtVersion), for corrections.</summary>
public sealed record LabRecord(LabTest Test, LabFinding Finding, long AtVersion);

public sealed record CardiovascularStatus(
    int HeartRate,
    int SystolicBloodPressure,
    int DiastolicBloodPressure,
    int QtcMilliseconds,
    CardiovascularConclusion Conclusion);

public sealed record WithdrawalFinding(DateTimeOffset ScoredAt, IReadOnlyDictionary<CowsItem, int> Items, int Total, WithdrawalBand Band,
    long AtVersion = 0);

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
    /// <summary>Every lab result recorded and not entered in error, in the order recorded; <see cref="Labs"/> is the latest per test.</summary>
    public IReadOnlyList<LabRecord> LabResults { get; init; } = [];
    public CardiovascularStatus? Cardiovascular { get; init; }
    public IReadOnlyList<WithdrawalFinding> WithdrawalScores { get; init; } = [];
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Stream versions of the current criteria and cardiovascular status, for corrections.</summary>
    public long CriteriaAtVersion { get; init; }
    public long CardiovascularAtVersion { get; init; }

    /// <summary>How many events the assessment's stream holds, and the versions of facts corrected (each once).</summary>
    public long Version { get; init; }
    public IReadOnlyList<long> Corrected { get; init; } = [];

    public IReadOnlyDictionary<LabTest, LabFinding> Labs =>
        LabResults.GroupBy(l => l.Test).ToDictionary(g => g.Key, g => g.Last().Finding);

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
    public static AssessmentEpisode Evolve(AssessmentEpisode? state, object @event)
    {
        var version = (state?.Version ?? 0) + 1;
        return Apply(state, @event, version) with { Version = version };
    }

    private static AssessmentEpisode Apply(AssessmentEpisode? state, object @event, long version) => @event switch
    {
        AssessmentStarted e => new AssessmentEpisode
        {
            Id = e.AssessmentId, PatientId = e.PatientId, Status = AssessmentStatus.InProgress, StartedAt = e.StartedAt,
        },
        OudCriteriaRecorded e => Existing(state) with
        {
            Criteria = new OudFinding(e.CriteriaMet, e.OnlyUnderMedicalSupervision, e.CriteriaCounted, e.Severity, e.Icd10Code),
            CriteriaAtVersion = version,
        },
        LabResultRecorded e => Existing(state) with
        {
            LabResults = [.. Existing(state).LabResults, new LabRecord(e.Test, new LabFinding(e.Result, e.TestedOn), version)],
        },
        CardiovascularStatusRecorded e => Existing(state) with
        {
            Cardiovascular = new CardiovascularStatus(e.HeartRate, e.SystolicBloodPressure, e.DiastolicBloodPressure,
                e.QtcMilliseconds, e.Conclusion),
            CardiovascularAtVersion = version,
        },
        WithdrawalScored e => Existing(state) with
        {
            WithdrawalScores = [.. Existing(state).WithdrawalScores, new WithdrawalFinding(e.ScoredAt, e.Items, e.Total, e.Band, version)],
        },
        FactEnteredInError e => Existing(state) with
        {
            LabResults = Existing(state).LabResults.Where(l => l.AtVersion != e.FactVersion).ToList(),
            WithdrawalScores = Existing(state).WithdrawalScores.Where(w => w.AtVersion != e.FactVersion).ToList(),
            Criteria = Existing(state).CriteriaAtVersion == e.FactVersion ? null : Existing(state).Criteria,
            Cardiovascular = Existing(state).CardiovascularAtVersion == e.FactVersion ? null : Existing(state).Cardiovascular,
            Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        LabResultAmended e => Existing(state) with
        {
            LabResults = Existing(state).LabResults
                .Select(l => l.AtVersion == e.FactVersion ? l with { Finding = l.Finding with { Result = e.Replacement.Result } } : l).ToList(),
            Corrected = [.. Existing(state).Corrected, e.FactVersion],
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
        IncludeType<FactEnteredInError>();
        IncludeType<LabResultAmended>();
    }

    public override AssessmentEpisode Evolve(AssessmentEpisode? snapshot, Guid id, IEvent e) =>
        AssessmentEvolution.Evolve(snapshot, e.Data);
}
