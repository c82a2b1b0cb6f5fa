using JasperFx.Events;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using V1 = Recovery.Contracts.Relapse.V1;

namespace Recovery.Relapse.Publishing;

/// <summary>
/// The gateway from Relapse tracking's private events to its public contracts. The clinic's choice of rule
/// (RelapseRuleChosen) is a setting, not a fact about a patient, and is not published.
/// </summary>
public sealed class RelapseIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent e)
    {
        var clinic = e.TenantId;
        var at = e.Timestamp;
        return e.Data switch
        {
            MonitoringStarted s => new V1.MonitoringStarted(s.PatientId, clinic, s.EpisodeId, at, s.MonitoringId, s.DetoxPlanId,
                s.Medication, Kebab.Of(s.DetoxOutcome), s.StartedOn, s.PrescribedOpioid is { } opioid ? Kebab.Of(opioid) : null, s.Rule),
            UrineScreenRecorded u => new V1.UrineScreenRecorded(u.PatientId, clinic, u.EpisodeId, at, u.MonitoringId, u.CollectedOn,
                u.Results.ToDictionary(r => Kebab.Of(r.Key), r => Kebab.Of(r.Value)), u.NonPrescribedOpioidPositive, u.NotCollected),
            UseSelfReported u => new V1.UseSelfReported(u.PatientId, clinic, u.EpisodeId, at, u.MonitoringId, Kebab.Of(u.Substance), u.UsedOn),
            VisitMissed v => new V1.VisitMissed(v.PatientId, clinic, v.EpisodeId, at, v.MonitoringId, Kebab.Of(v.Source), v.MissedOn),
            RelapseDetected d => new V1.RelapseDetected(d.PatientId, clinic, d.EpisodeId, at, d.MonitoringId, d.Rule, d.RelapsedOn, d.Evidence),
            RelapseRetracted r => new V1.RelapseRetracted(r.PatientId, clinic, r.EpisodeId, at, r.MonitoringId, r.PreviousRule, r.Rule),
            ReturnedToTreatment r => new V1.ReturnedToTreatment(r.PatientId, clinic, r.EpisodeId, at, r.MonitoringId, r.NewEpisodeId,
                r.NewClinicId),
            _ => null,
        };
    }
}
