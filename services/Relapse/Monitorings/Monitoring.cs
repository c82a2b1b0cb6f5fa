using Recovery.BuildingBlocks.Corrections;
using Recovery.Relapse.Corrections;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Monitorings;

public enum DetoxOutcome
{
    Completed,
    DroppedOut,
}

/// <summary>Monitoring (no relapse found), Relapsed (the rule found one), ReturnedToTreatment (closed by a new episode).</summary>
public enum MonitoringStatus
{
    Monitoring,
    Relapsed,
    ReturnedToTreatment,
}

// AtVersion: the position in the monitoring's stream of the event that recorded the item, so a correction names it.

public sealed record UrineScreen(
    DateOnly CollectedOn,
    IReadOnlyDictionary<Substance, ScreenResult> Results,
    bool NonPrescribedOpioidPositive,
    bool NotCollected,
    long AtVersion = 0);

public sealed record UseReport(ReportedSubstance Substance, DateOnly UsedOn, long AtVersion = 0);

/// <summary>SourceEventId: the event id of the fact that reported the visit (null on visits recorded before it was kept).</summary>
public sealed record MissedVisit(VisitSource Source, DateOnly MissedOn, Guid SourceRecordId, Guid? SourceEventId = null, long AtVersion = 0);

public sealed record DetectedRelapse(string Rule, DateOnly RelapsedOn, string Evidence, DateOnly AsOf);

public sealed record TreatmentReturn(Guid NewEpisodeId, string NewClinicId, DateOnly ReturnedOn, bool AfterRelapse);

/// <summary>
/// A patient watched for relapse at a clinic after a detox ended: the raw facts (screens, reported use, missed
/// visits) and what the relapse rule derived from them. Folded by <see cref="MonitoringEvolution.Evolve"/>.
/// </summary>
public sealed record Monitoring
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public string ClinicId { get; init; } = "";
    public Guid? EpisodeId { get; init; }
    public Guid DetoxPlanId { get; init; }
    public string Medication { get; init; } = "";
    public DetoxOutcome DetoxOutcome { get; init; }
    public DateOnly StartedOn { get; init; }
    public Substance? PrescribedOpioid { get; init; }
    public string RuleAtStart { get; init; } = "";
    public MonitoringStatus Status { get; init; }
    public IReadOnlyList<UrineScreen> Screens { get; init; } = [];
    public IReadOnlyList<UseReport> ReportedUse { get; init; } = [];
    public IReadOnlyList<MissedVisit> MissedVisits { get; init; } = [];
    public DetectedRelapse? Relapse { get; init; }
    public TreatmentReturn? Return { get; init; }

    /// <summary>How many events the monitoring's stream holds: the version of the last one folded.</summary>
    public long Version { get; init; }

    /// <summary>The stream versions of facts corrected (entered in error or amended): each is corrected once.</summary>
    public IReadOnlyList<long> Corrected { get; init; } = [];

    public bool IsOpen => Status != MonitoringStatus.ReturnedToTreatment;

    /// <summary>A closed monitoring is judged as of the day it closed: later weeks are not its weeks.</summary>
    public DateOnly EvaluationDate(DateOnly today) => Return?.ReturnedOn is { } closed && closed < today ? closed : today;
}

/// <summary>Folds a monitoring's events into its state: a pure function, so decisions are tested without a database.</summary>
public static class MonitoringEvolution
{
    public static Monitoring Evolve(Monitoring? state, object @event)
    {
        var version = (state?.Version ?? 0) + 1;
        return Apply(state, @event, version) with { Version = version };
    }

    private static Monitoring Apply(Monitoring? state, object @event, long version) => @event switch
    {
        MonitoringStarted e => new Monitoring
        {
            Id = e.MonitoringId, PatientId = e.PatientId, ClinicId = e.ClinicId, EpisodeId = e.EpisodeId, DetoxPlanId = e.DetoxPlanId,
            Medication = e.Medication, DetoxOutcome = e.DetoxOutcome, StartedOn = e.StartedOn, PrescribedOpioid = e.PrescribedOpioid,
            RuleAtStart = e.Rule, Status = MonitoringStatus.Monitoring,
        },
        UrineScreenRecorded e => Existing(state) with
        {
            Screens = [.. Existing(state).Screens, new UrineScreen(e.CollectedOn, e.Results, e.NonPrescribedOpioidPositive, e.NotCollected, version)],
        },
        UseSelfReported e => Existing(state) with { ReportedUse = [.. Existing(state).ReportedUse, new UseReport(e.Substance, e.UsedOn, version)] },
        VisitMissed e => Existing(state) with
        {
            MissedVisits = [.. Existing(state).MissedVisits, new MissedVisit(e.Source, e.MissedOn, e.SourceRecordId, e.SourceEventId, version)],
        },
        MissedVisitDropped e => Existing(state) with { MissedVisits = Existing(state).MissedVisits.Where(v => v.AtVersion != e.VisitVersion).ToList() },
        RelapseDetected e => Existing(state) with
        {
            Relapse = new DetectedRelapse(e.Rule, e.RelapsedOn, e.Evidence, e.AsOf),
            Status = Existing(state).IsOpen ? MonitoringStatus.Relapsed : MonitoringStatus.ReturnedToTreatment,
        },
        RelapseRetracted => Existing(state) with
        {
            Relapse = null,
            Status = Existing(state).IsOpen ? MonitoringStatus.Monitoring : MonitoringStatus.ReturnedToTreatment,
        },
        ReturnedToTreatment e => Existing(state) with
        {
            Status = MonitoringStatus.ReturnedToTreatment,
            Return = new TreatmentReturn(e.NewEpisodeId, e.NewClinicId, e.ReturnedOn, e.AfterRelapse),
        },
        FactEnteredInError e => Existing(state) with
        {
            Screens = Existing(state).Screens.Where(s => s.AtVersion != e.FactVersion).ToList(),
            ReportedUse = Existing(state).ReportedUse.Where(u => u.AtVersion != e.FactVersion).ToList(),
            Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        UrineScreenAmended e => Existing(state) with
        {
            Screens = Existing(state).Screens.Select(s => s.AtVersion == e.FactVersion
                ? new UrineScreen(e.Replacement.CollectedOn, e.Replacement.Results, e.Replacement.NonPrescribedOpioidPositive, e.Replacement.NotCollected,
                    s.AtVersion)
                : s).ToList(),
            Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        _ => Existing(state),
    };

    public static Monitoring Fold(IEnumerable<object> events) =>
        events.Aggregate((Monitoring?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static Monitoring Existing(Monitoring? state) =>
        state ?? throw new InvalidOperationException("A monitoring event arrived before MonitoringStarted.");
}

/// <summary>Keeps each monitoring's current state as a document, in the same transaction as its events.</summary>
public sealed class MonitoringProjection : SingleStreamProjection<Monitoring, Guid>
{
    public MonitoringProjection()
    {
        IncludeType<MonitoringStarted>();
        IncludeType<UrineScreenRecorded>();
        IncludeType<UseSelfReported>();
        IncludeType<VisitMissed>();
        IncludeType<MissedVisitDropped>();
        IncludeType<RelapseDetected>();
        IncludeType<RelapseRetracted>();
        IncludeType<ReturnedToTreatment>();
        IncludeType<FactEnteredInError>();
        IncludeType<UrineScreenAmended>();
    }

    public override Monitoring Evolve(Monitoring? snapshot, Guid id, IEvent e) => MonitoringEvolution.Evolve(snapshot, e.Data);
}
