using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using Detox = Recovery.Contracts.Detox.V1;

namespace Recovery.Relapse.Monitorings;

/// <summary>
/// Monitoring began when a detox ended (completed or dropped out). Its id is the detox plan's, so one plan is
/// monitored once. <paramref name="Rule"/> is the clinic's rule when monitoring began.
/// </summary>
public sealed record MonitoringStarted(
    Guid MonitoringId,
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    Guid DetoxPlanId,
    string Medication,
    DetoxOutcome DetoxOutcome,
    DateOnly StartedOn,
    Substance? PrescribedOpioid,
    string Rule);

public sealed record StartMonitoring(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    Guid DetoxPlanId,
    string Medication,
    DetoxOutcome DetoxOutcome,
    DateOnly EndedOn,
    string Rule);

public static class MonitoringStart
{
    /// <summary>A plan already monitored (a redelivery, or both completion and dropout) starts nothing.</summary>
    public static Decision Decide(Monitoring? existing, StartMonitoring command)
    {
        if (existing is not null) return Decision.Accept();
        var medication = command.Medication.Trim().ToLowerInvariant();
        return Decision.Accept(new MonitoringStarted(command.DetoxPlanId, command.PatientId, command.ClinicId, command.EpisodeId,
            command.DetoxPlanId, medication, command.DetoxOutcome, command.EndedOn, Substances.PrescribedOpioidOf(medication), command.Rule));
    }

    internal static async Task Start(IDocumentSession session, StartMonitoring command, CancellationToken ct)
    {
        var existing = await session.LoadAsync<Monitoring>(command.DetoxPlanId, ct);
        ConsumerStreams.Start<Monitoring>(session, command.DetoxPlanId, Decide(existing, command));
    }
}

/// <summary>A completed detox starts monitoring at the clinic that completed it.</summary>
public sealed class StartMonitoringOnDetoxCompleted(IDocumentStore store, ILogger<StartMonitoringOnDetoxCompleted> logger)
    : IdempotentConsumer<Detox.DetoxCompleted>(store, logger)
{
    protected override string TenantOf(Detox.DetoxCompleted message) => message.ClinicId;

    protected override async Task Handle(IDocumentSession session, ConsumeContext<Detox.DetoxCompleted> context)
    {
        var m = context.Message;
        var rule = await ClinicRelapseRules.RuleOf(session, m.ClinicId, context.CancellationToken);
        await MonitoringStart.Start(session, new StartMonitoring(m.PatientId, m.ClinicId, m.EpisodeId, m.PlanId, m.Medication,
            DetoxOutcome.Completed, m.CompletedOn, rule), context.CancellationToken);
    }
}

/// <summary>A dropout is when relapse is most likely: monitoring starts just the same.</summary>
public sealed class StartMonitoringOnDetoxDroppedOut(IDocumentStore store, ILogger<StartMonitoringOnDetoxDroppedOut> logger)
    : IdempotentConsumer<Detox.DetoxDroppedOut>(store, logger)
{
    protected override string TenantOf(Detox.DetoxDroppedOut message) => message.ClinicId;

    protected override async Task Handle(IDocumentSession session, ConsumeContext<Detox.DetoxDroppedOut> context)
    {
        var m = context.Message;
        var rule = await ClinicRelapseRules.RuleOf(session, m.ClinicId, context.CancellationToken);
        await MonitoringStart.Start(session, new StartMonitoring(m.PatientId, m.ClinicId, m.EpisodeId, m.PlanId, m.Medication,
            DetoxOutcome.DroppedOut, m.DroppedOutOn, rule), context.CancellationToken);
    }
}
