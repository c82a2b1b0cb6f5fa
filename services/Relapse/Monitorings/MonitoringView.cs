using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Monitorings;

public sealed record ScreenView(
    DateOnly CollectedOn,
    IReadOnlyDictionary<string, string> Results,
    bool NonPrescribedOpioidPositive,
    bool NotCollected);

/// <summary>
/// A monitoring as the API shows it: the stored facts, the relapse on record, and what the clinic's current rule
/// derives as of today (or the day it closed).
/// </summary>
public sealed record MonitoringView(
    Guid MonitoringId,
    Guid PatientId,
    Guid? EpisodeId,
    Guid DetoxPlanId,
    string Medication,
    DetoxOutcome DetoxOutcome,
    DateOnly StartedOn,
    Substance? PrescribedOpioid,
    string RuleAtStart,
    MonitoringStatus Status,
    IReadOnlyList<ScreenView> Screens,
    IReadOnlyList<UseReport> ReportedUse,
    IReadOnlyList<MissedVisit> MissedVisits,
    DetectedRelapse? Relapse,
    ReturnView? ReturnedToTreatment,
    RelapseEvaluation CurrentRuleResult)
{
    public static MonitoringView Of(Monitoring m, RelapseCheck check, DateOnly today) => new(m.Id, m.PatientId, m.EpisodeId,
        m.DetoxPlanId, m.Medication, m.DetoxOutcome, m.StartedOn, m.PrescribedOpioid, m.RuleAtStart, m.Status,
        m.Screens.OrderBy(s => s.CollectedOn).Select(s => new ScreenView(s.CollectedOn,
            s.Results.OrderBy(r => r.Key).ToDictionary(r => Kebab.Of(r.Key), r => Kebab.Of(r.Value)),
            s.NonPrescribedOpioidPositive, s.NotCollected)).ToList(),
        m.ReportedUse.OrderBy(u => u.UsedOn).ToList(), m.MissedVisits.OrderBy(v => v.MissedOn).ToList(), m.Relapse, ReturnView.Of(m),
        check.Evaluate(m, m.EvaluationDate(today)));
}

/// <summary>
/// A return to treatment as this clinic may know it: that and when the patient came back, and where only when it was here.
/// Where a person is treated is itself protected (42 CFR 2.13(c)): another clinic's return says "elsewhere", without its
/// clinic or episode.
/// </summary>
public sealed record ReturnView(DateOnly ReturnedOn, bool AfterRelapse, bool Elsewhere, string? NewClinicId, Guid? NewEpisodeId)
{
    public static ReturnView? Of(Monitoring m) => m.Return is not { } r
        ? null
        : r.NewClinicId == m.ClinicId
            ? new ReturnView(r.ReturnedOn, r.AfterRelapse, false, r.NewClinicId, r.NewEpisodeId)
            : new ReturnView(r.ReturnedOn, r.AfterRelapse, true, null, null);
}

/// <summary>A patient's monitorings at this clinic, newest first, under the clinic's current rule.</summary>
public sealed record PatientMonitoring(Guid PatientId, string ClinicRule, IReadOnlyList<MonitoringView> Monitorings);

public static class MonitoringRecords
{
    internal static async Task<IResult> Get(Guid monitoringId, IQuerySession session, ClinicProtocols<RelapseProtocol> protocols,
        ClinicClock clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Monitoring>(monitoringId, ct) is not { } monitoring) return Problems.From(NotFound(monitoringId));
        var check = await ClinicRelapseRules.CheckFor(session, session.TenantId, protocols, ct);
        return Results.Ok(MonitoringView.Of(monitoring, check, clock.Now(session.TenantId).Today));
    }

    internal static async Task<IResult> OfPatient(Guid patientId, IQuerySession session, ClinicProtocols<RelapseProtocol> protocols,
        ClinicClock clock, CancellationToken ct)
    {
        var monitorings = await session.Query<Monitoring>().Where(m => m.PatientId == patientId).ToListAsync(ct);
        if (monitorings.Count == 0)
            return Problems.From(DomainError.NotFound("patient-not-monitored", $"Patient {patientId} has no monitoring at this clinic."));
        var check = await ClinicRelapseRules.CheckFor(session, session.TenantId, protocols, ct);
        var today = clock.Now(session.TenantId).Today;
        return Results.Ok(new PatientMonitoring(patientId, check.Rule,
            monitorings.OrderByDescending(m => m.StartedOn).Select(m => MonitoringView.Of(m, check, today)).ToList()));
    }

    /// <summary>The patient's open monitoring at this clinic: the latest started, should a late start overlap an older one.</summary>
    public static async Task<Monitoring?> OpenOf(IQuerySession session, Guid patientId, CancellationToken ct) =>
        (await session.Query<Monitoring>()
            .Where(m => m.PatientId == patientId && m.Status != MonitoringStatus.ReturnedToTreatment)
            .ToListAsync(ct))
        .OrderByDescending(m => m.StartedOn).FirstOrDefault();

    public static DomainError NotFound(Guid monitoringId) => DomainError.NotFound("monitoring-not-found", $"No monitoring {monitoringId} at this clinic.");

    /// <summary>The open monitoring of the patient in the route, or why there is none to record a fact on.</summary>
    public static async Task<Validated<Guid>> OpenOfRoutePatient<TCommand>(TCommand _, CommandContext context) =>
        context.RouteId("patientId") is { Error: { } invalid } ? invalid : await OpenIdOf(context.RouteId("patientId").Value, context);

    public static async Task<Validated<Guid>> OpenIdOf(Guid patientId, CommandContext context)
    {
        // One read: a monitoring started between two reads (a detox ending just now) must not be seen as both absent and open.
        var all = await context.Session.Query<Monitoring>().Where(m => m.PatientId == patientId).ToListAsync(context.Cancellation);
        if (all.Where(m => m.IsOpen).MaxBy(m => m.StartedOn) is { } open) return open.Id;
        // Monitored here, but closed by a return to treatment: the documented 409, not "never monitored".
        if (all.MaxBy(m => m.StartedOn) is { } closed) return MustBeOpen(closed)!;
        return DomainError.RuleBroken("patient-not-monitored",
            $"Patient {patientId} has no open monitoring at this clinic: monitoring starts when a detox completes or the patient drops out.",
            values: new Dictionary<string, object?> { ["patientId"] = patientId });
    }

    /// <summary>Facts are recorded only while the monitoring is open.</summary>
    public static DomainError? MustBeOpen(Monitoring monitoring) =>
        monitoring.IsOpen
            ? null
            : DomainError.Conflict("monitoring-closed",
                $"Monitoring {monitoring.Id} closed on {monitoring.Return!.ReturnedOn:yyyy-MM-dd} when the patient returned to treatment.",
                new Dictionary<string, object?> { ["monitoringId"] = monitoring.Id, ["returnedOn"] = monitoring.Return.ReturnedOn });

    /// <summary>A fact dated before monitoring began belongs to the detox, not to relapse tracking.</summary>
    public static DomainError? MustNotPrecedeStart(Monitoring monitoring, string field, DateOnly date) =>
        date >= monitoring.StartedOn
            ? null
            : DomainError.RuleBroken("before-monitoring-start",
                $"{field} {date:yyyy-MM-dd} is before monitoring began on {monitoring.StartedOn:yyyy-MM-dd}.",
                new Dictionary<string, string[]> { [field] = [$"must be on or after {monitoring.StartedOn:yyyy-MM-dd}"] },
                new Dictionary<string, object?> { [field] = date, ["startedOn"] = monitoring.StartedOn });
}
