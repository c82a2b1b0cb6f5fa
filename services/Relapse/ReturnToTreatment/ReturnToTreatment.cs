using Recovery.Contracts;
using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Relapse.Monitorings;
using Assessment = Recovery.Contracts.Assessment.V1;

namespace Recovery.Relapse.ReturnToTreatment;

/// <summary>
/// The patient started a new assessment episode (at this or another clinic of the network); the monitoring closes.
/// <paramref name="AfterRelapse"/> says whether a relapse was on record then.
/// </summary>
public sealed record ReturnedToTreatment(
    Guid MonitoringId,
    Guid PatientId,
    Guid? EpisodeId,
    Guid NewEpisodeId,
    string NewClinicId,
    DateOnly ReturnedOn,
    bool AfterRelapse,
    DateTimeOffset? ReturnedAt = null);

public sealed record RecordReturnToTreatment(Guid NewEpisodeId, string NewClinicId, DateTimeOffset AssessmentStartedAt);

public static class TreatmentReturns
{
    /// <summary>
    /// A new assessment opens a new treatment episode, so the monitoring of the earlier one ends, relapsed or not:
    /// left open, its weeks without screens would go on counting as missing while the patient is in treatment.
    /// An assessment that is this monitoring's own episode, or that began before monitoring did (a late message), closes nothing.
    /// </summary>
    public static Decision Decide(Monitoring monitoring, RecordReturnToTreatment command)
    {
        var startedOn = DateOnly.FromDateTime(command.AssessmentStartedAt.UtcDateTime);
        if (!monitoring.IsOpen || monitoring.EpisodeId == command.NewEpisodeId || startedOn < monitoring.StartedOn) return Decision.Accept();
        return Decision.Accept(new ReturnedToTreatment(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, command.NewEpisodeId,
            command.NewClinicId, startedOn, monitoring.Relapse is not null, command.AssessmentStartedAt));
    }
}

/// <summary>
/// Watches every clinic's new assessments: the patient's open monitorings may be at any clinic of the network, so
/// they are found across tenants and closed in their own clinic's tenant, in the same transaction as the inbox row.
/// </summary>
public sealed class RecordReturnOnAssessmentStarted(IDocumentStore store, ILogger<RecordReturnOnAssessmentStarted> logger)
    : IdempotentConsumer<Assessment.AssessmentStarted>(store, logger)
{
    protected override string TenantOf(Assessment.AssessmentStarted message) => message.ClinicId;

    protected override async Task Handle(IDocumentSession session, ConsumeContext<Assessment.AssessmentStarted> context)
    {
        var m = context.Message;
        var open = await session.Query<Monitoring>()
            .Where(x => x.AnyTenant() && x.PatientId == m.PatientId && x.Status != MonitoringStatus.ReturnedToTreatment)
            .ToListAsync(context.CancellationToken);
        // When the new intake began clinically, not when it was entered.
        var command = new RecordReturnToTreatment(m.AssessmentId, m.ClinicId, m.ClinicalTime());
        foreach (var monitoring in open)
        {
            var decision = TreatmentReturns.Decide(monitoring, command);
            if (decision.Events.Count > 0)
                session.ForTenant(monitoring.ClinicId).Events.Append(monitoring.Id, decision.Events.ToArray());
        }
    }
}
