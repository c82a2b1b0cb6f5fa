using Recovery.Assessment.Corrections;
using Recovery.BuildingBlocks.Corrections;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;
using Recovery.BuildingBlocks.Time;
using JasperFx.Events;
using Recovery.Assessment.Completion;
using Recovery.Assessment.Criteria;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Labs;
using Recovery.Assessment.Patients;
using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;
using V1 = Recovery.Contracts.Assessment.V1;

namespace Recovery.Assessment.Publishing;

/// <summary>
/// The gateway from Assessment's private events to its public contracts. Names, contact details
/// and full dates of birth stay inside the service.
/// </summary>
public sealed class AssessmentIntegrationEvents(ClinicClock? clock = null) : IntegrationEventMap(clock)
{
    public override object? ToIntegrationEvent(IEvent e)
    {
        var clinic = e.TenantId;
        var at = e.Timestamp;
        return e.Data switch
        {
            PatientRegistered p => At(new V1.PatientRegistered(p.PatientId, clinic, null, at, p.RegistrationId, Kebab.Of(p.Sex),
                p.BirthYear), p.RegisteredAt),
            RegistrationEnteredInError r => At(new V1.RegistrationEnteredInError(r.PatientId, clinic, null, at, r.RegistrationId,
                r.RegisteredEventId), r.EnteredInErrorAt),
            AssessmentStarted s => At(new V1.AssessmentStarted(s.PatientId, clinic, s.AssessmentId, at, s.AssessmentId), s.StartedAt),
            OudCriteriaRecorded c => At(new V1.OudCriteriaRecorded(c.PatientId, clinic, c.AssessmentId, at, c.AssessmentId,
                c.CriteriaMet.Select(Kebab.Of).ToList(), c.OnlyUnderMedicalSupervision, c.CriteriaCounted, Kebab.Of(c.Severity),
                c.Icd10Code), c.AssessedAt ?? at),
            LabResultRecorded l => On(new V1.LabResultRecorded(l.PatientId, clinic, l.AssessmentId, at, l.AssessmentId,
                Kebab.Of(l.Test), Kebab.Of(l.Result), l.TestedOn), l.TestedOn, clinic),
            CardiovascularStatusRecorded c => At(new V1.CardiovascularStatusRecorded(c.PatientId, clinic, c.AssessmentId, at,
                c.AssessmentId, c.HeartRate, c.SystolicBloodPressure, c.DiastolicBloodPressure, c.QtcMilliseconds,
                Kebab.Of(c.Conclusion)), c.MeasuredAt ?? at),
            WithdrawalScored w => At(new V1.WithdrawalScored(w.PatientId, clinic, w.AssessmentId, at, w.AssessmentId, w.ScoredAt,
                w.Items.ToDictionary(kv => Kebab.Of(kv.Key), kv => kv.Value), w.Total, Kebab.Of(w.Band)), w.ScoredAt),
            AssessmentCompleted c => At(new V1.AssessmentCompleted(c.PatientId, clinic, c.AssessmentId, at, c.AssessmentId,
                Kebab.Of(c.Severity), c.CriteriaCounted, c.Icd10Code, Kebab.Of(c.Hiv), Kebab.Of(c.HepatitisB), Kebab.Of(c.HepatitisC),
                Kebab.Of(c.CardiovascularConclusion), c.QtcMilliseconds, c.LatestCowsTotal), c.CompletedAt),
            FactEnteredInError f => new CorrectionsV1.FactEnteredInError(f.PatientId, clinic, f.EpisodeId, at, f.FactEventId, f.Kind),
            LabResultAmended a => On(new V1.LabResultRecorded(a.Replacement.PatientId, clinic, a.Replacement.AssessmentId, at,
                a.Replacement.AssessmentId, Kebab.Of(a.Replacement.Test), Kebab.Of(a.Replacement.Result), a.Replacement.TestedOn)
                { Amends = a.FactEventId }, a.Replacement.TestedOn, clinic),
            _ => null,
        };
    }
}
