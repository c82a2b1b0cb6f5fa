using Recovery.BuildingBlocks.Time;
using JasperFx.Events;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;
using Recovery.Detox.Admission;
using Recovery.Detox.Approval;
using Recovery.Detox.Closing;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.ScheduleChanges;
using Recovery.Detox.Switching;
using Recovery.Detox.Withdrawal;
using Recovery.BuildingBlocks.Corrections;
using Recovery.Detox.Corrections;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;
using V1 = Recovery.Contracts.Detox.V1;

namespace Recovery.Detox.Publishing;

/// <summary>
/// The gateway from Detox's private events to its public contracts. Who switched a medication and the free-text reasons
/// (override, switch, admission) stay inside the service; the episode is the assessment the plan was drafted from.
/// </summary>
public sealed class DetoxIntegrationEvents(ClinicClock? clock = null) : IntegrationEventMap(clock)
{
    public override object? ToIntegrationEvent(IEvent e)
    {
        var clinic = e.TenantId;
        var at = e.Timestamp;
        return e.Data switch
        {
            DetoxPlanDrafted d => At(new V1.DetoxPlanDrafted(d.PatientId, clinic, d.EpisodeId, at, d.PlanId, Kebab.Of(d.Medication),
                Phases(d.Schedule), d.DraftedBy), d.DraftedAt),
            DetoxPlanApproved a => At(new V1.DetoxPlanApproved(a.PatientId, clinic, a.EpisodeId, at, a.PlanId, a.ApprovedBy), a.ApprovedAt),
            LastOpioidUseRecorded u => At(new V1.LastOpioidUseRecorded(u.PatientId, clinic, u.EpisodeId, at, u.PlanId, Kebab.Of(u.Kind), u.UsedAt), u.UsedAt),
            InductionUrineScreenRecorded s => At(new V1.InductionUrineScreenRecorded(s.PatientId, clinic, s.EpisodeId, at, s.PlanId,
                Kebab.Of(s.OpioidResult), s.CollectedAt), s.CollectedAt),
            WithdrawalChecked w => At(new V1.DetoxWithdrawalChecked(w.PatientId, clinic, w.EpisodeId, at, w.PlanId, w.ScoredAt,
                w.Items.ToDictionary(kv => Kebab.Of(kv.Key), kv => kv.Value), w.Total, Kebab.Of(w.Band)), w.ScoredAt),
            DoseGiven d => At(new V1.DoseGiven(d.PatientId, clinic, d.EpisodeId, at, d.PlanId, Kebab.Of(d.Medication), d.DoseMg, d.GivenAt,
                d.GivenBy, d.FirstDose, AboveCapOverride: d.OverrideReason is not null), d.GivenAt),
            DoseMissed m => On(new V1.DoseMissed(m.PatientId, clinic, m.EpisodeId, at, m.PlanId, m.MissedOn), m.MissedOn, clinic),
            MedicationSwitched s => At(new V1.MedicationSwitched(s.PatientId, clinic, s.EpisodeId, at, s.PlanId, Kebab.Of(s.From),
                Kebab.Of(s.To), Phases(s.Schedule)), s.SwitchedAt),
            DetoxCompleted c => On(new V1.DetoxCompleted(c.PatientId, clinic, c.EpisodeId, at, c.PlanId, Kebab.Of(c.Medication),
                c.CompletedOn, c.DaysInTreatment), c.CompletedOn, clinic),
            DetoxDroppedOut d => On(new V1.DetoxDroppedOut(d.PatientId, clinic, d.EpisodeId, at, d.PlanId, Kebab.Of(d.Medication),
                d.DroppedOutOn, Kebab.Of(d.Reason), d.DaysInTreatment), d.DroppedOutOn, clinic),
            FactEnteredInError f => new CorrectionsV1.FactEnteredInError(f.PatientId, clinic, f.EpisodeId, at, f.FactEventId, f.Kind),
            DoseAmended a => At(new V1.DoseGiven(a.Replacement.PatientId, clinic, a.Replacement.EpisodeId, at, a.Replacement.PlanId,
                Kebab.Of(a.Replacement.Medication), a.Replacement.DoseMg, a.Replacement.GivenAt, a.Replacement.GivenBy, a.Replacement.FirstDose,
                AboveCapOverride: a.Replacement.OverrideReason is not null) { Amends = a.FactEventId }, a.Replacement.GivenAt),
            ScheduleChangeDrafted d => new V1.ScheduleChangeDrafted(d.PatientId, clinic, d.EpisodeId, at, d.PlanId, d.ChangeId,
                Kebab.Of(d.Medication), Phases(d.Schedule), d.DraftedBy),
            ScheduleChangeApproved a => At(new V1.ScheduleChangeApproved(a.PatientId, clinic, a.EpisodeId, at, a.PlanId, a.ChangeId,
                Phases(a.Schedule), a.ApprovedBy, a.ApprovedAt), a.ApprovedAt),
            AdmissionJustificationRecorded j => new V1.AdmissionJustificationRecorded(j.PatientId, clinic, j.EpisodeId, at, j.PlanId,
                Kebab.Of(j.Basis)),
            _ => null,
        };
    }

    private static List<V1.DosePhase> Phases(IReadOnlyList<DosePhase> schedule) =>
        schedule.Select(p => new V1.DosePhase(Kebab.Of(p.Phase), p.Days, p.DailyDoseMg)).ToList();
}
