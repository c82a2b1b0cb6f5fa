using Recovery.BuildingBlocks.Corrections;
using Recovery.Relapse.Corrections;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;
using Recovery.BuildingBlocks.Time;
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
public sealed class RelapseIntegrationEvents(ClinicClock? clock = null) : IntegrationEventMap(clock)
{
    public override object? ToIntegrationEvent(IEvent e)
    {
        var clinic = e.TenantId;
        var at = e.Timestamp;
        return e.Data switch
        {
            MonitoringStarted s => On(new V1.MonitoringStarted(s.PatientId, clinic, s.EpisodeId, at, s.MonitoringId, s.DetoxPlanId,
                s.Medication, Kebab.Of(s.DetoxOutcome), s.StartedOn, s.PrescribedOpioid is { } opioid ? Kebab.Of(opioid) : null, s.Rule),
                s.StartedOn, clinic),
            UrineScreenRecorded u => On(new V1.UrineScreenRecorded(u.PatientId, clinic, u.EpisodeId, at, u.MonitoringId, u.CollectedOn,
                u.Results.ToDictionary(r => Kebab.Of(r.Key), r => Kebab.Of(r.Value)), u.NonPrescribedOpioidPositive, u.NotCollected),
                u.CollectedOn, clinic),
            UseSelfReported u => On(new V1.UseSelfReported(u.PatientId, clinic, u.EpisodeId, at, u.MonitoringId, Kebab.Of(u.Substance), u.UsedOn),
                u.UsedOn, clinic),
            VisitMissed v => On(new V1.VisitMissed(v.PatientId, clinic, v.EpisodeId, at, v.MonitoringId, Kebab.Of(v.Source), v.MissedOn),
                v.MissedOn, clinic),
            RelapseDetected d => On(new V1.RelapseDetected(d.PatientId, clinic, d.EpisodeId, at, d.MonitoringId, d.Rule, d.RelapsedOn, d.Evidence),
                d.RelapsedOn, clinic),
            RelapseRetracted r => On(new V1.RelapseRetracted(r.PatientId, clinic, r.EpisodeId, at, r.MonitoringId, r.PreviousRule, r.Rule),
                r.AsOf, clinic),
            ReturnedToTreatment r => r.ReturnedAt is { } returnedAt
                ? At(new V1.ReturnedToTreatment(r.PatientId, clinic, r.EpisodeId, at, r.MonitoringId, r.NewEpisodeId, r.NewClinicId), returnedAt)
                : On(new V1.ReturnedToTreatment(r.PatientId, clinic, r.EpisodeId, at, r.MonitoringId, r.NewEpisodeId, r.NewClinicId),
                    r.ReturnedOn, clinic),
            FactEnteredInError f => new CorrectionsV1.FactEnteredInError(f.PatientId, clinic, f.EpisodeId, at, f.FactEventId, f.Kind),
            // The visit derived from a fact entered in error elsewhere is itself entered in error, so every consumer strikes it too.
            MissedVisitDropped d => new CorrectionsV1.FactEnteredInError(d.PatientId, clinic, d.EpisodeId, at, d.VisitEventId, Kebab.Of(nameof(V1.VisitMissed))),
            UrineScreenAmended a => On(new V1.UrineScreenRecorded(a.Replacement.PatientId, clinic, a.Replacement.EpisodeId, at,
                a.Replacement.MonitoringId, a.Replacement.CollectedOn, a.Replacement.Results.ToDictionary(r => Kebab.Of(r.Key), r => Kebab.Of(r.Value)),
                a.Replacement.NonPrescribedOpioidPositive, a.Replacement.NotCollected) { Amends = a.FactEventId }, a.Replacement.CollectedOn, clinic),
            _ => null,
        };
    }
}
