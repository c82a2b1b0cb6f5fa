using Recovery.Contracts;
using Assessment = Recovery.Contracts.Assessment.V1;
using Counseling = Recovery.Contracts.Counseling.V1;
using Detox = Recovery.Contracts.Detox.V1;
using Relapse = Recovery.Contracts.Relapse.V1;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>The one-line summary a clinician reads on the timeline, per kind of fact.</summary>
public static class TimelineSummaries
{
    public static string Describe(IPatientEvent fact) => fact switch
    {
        Assessment.PatientRegistered e => $"Registered at {e.ClinicId} (sex {e.Sex}, born {e.BirthYear})",
        Assessment.RegistrationEnteredInError => "Registration entered in error",
        Assessment.AssessmentStarted => "Assessment started",
        Assessment.OudCriteriaRecorded e => e.CriteriaCounted < 2
            ? $"DSM-5 OUD criteria: {e.CriteriaCounted} counted, no use disorder"
            : $"DSM-5 OUD criteria: {e.CriteriaCounted} counted, {e.Severity} opioid use disorder ({e.Icd10Code})",
        Assessment.LabResultRecorded e => $"{LabName(e.Test)} test {e.Result} (tested {e.TestedOn:yyyy-MM-dd})",
        Assessment.CardiovascularStatusRecorded e =>
            $"Cardiovascular: HR {e.HeartRate}, BP {e.SystolicBloodPressure}/{e.DiastolicBloodPressure}, QTc {e.QtcMilliseconds} ms, {e.Conclusion}",
        Assessment.WithdrawalScored e => $"COWS {e.Total}: {e.Band.Replace('-', ' ')}",
        Assessment.AssessmentCompleted e => $"Assessment completed: {e.Severity} opioid use disorder; HIV {e.Hiv}, " +
                                            $"hepatitis B {e.HepatitisB}, hepatitis C {e.HepatitisC}",

        Detox.DetoxPlanDrafted e => $"Detox plan drafted: {e.Medication} ({Schedule(e.Schedule)}) by {e.DraftedBy}",
        Detox.DetoxPlanApproved e => $"Detox plan approved by {e.ApprovedBy}",
        Detox.LastOpioidUseRecorded e => $"Last opioid use ({e.Kind}) at {e.UsedAt:yyyy-MM-dd HH:mm}",
        Detox.InductionUrineScreenRecorded e => $"Pre-induction urine screen: opioids {e.OpioidResult}",
        Detox.DetoxWithdrawalChecked e => $"COWS {e.Total} during detox: {e.Band.Replace('-', ' ')}",
        Detox.DoseGiven e => $"{(e.FirstDose ? "First dose" : "Dose")}: {e.Medication} {e.DoseMg:0.##} mg" +
                             (e.AboveCapOverride ? " (above cap, reason documented)" : ""),
        Detox.DoseMissed e => $"Dose missed on {e.MissedOn:yyyy-MM-dd}",
        Detox.MedicationSwitched e => $"Medication switched from {e.FromMedication} to {e.ToMedication}",
        Detox.DetoxCompleted e => $"Detox completed with {e.Medication} after {e.DaysInTreatment} days",
        Detox.DetoxDroppedOut e => $"Left detox ({e.Reason.Replace('-', ' ')}) after {e.DaysInTreatment} days on {e.Medication}",

        Counseling.CounselingSessionScheduled e => $"Counseling session scheduled for {e.ScheduledFor:yyyy-MM-dd HH:mm}",
        Counseling.CounselingSessionAttended e => $"Counseling session attended ({e.DurationMinutes} min)",
        Counseling.CounselingSessionCancelled e => $"Counseling session of {e.ScheduledFor:yyyy-MM-dd} cancelled",
        Counseling.CounselingSessionMissed e => $"Counseling session missed ({e.ScheduledFor:yyyy-MM-dd})",
        Counseling.HelpGroupEnrolled e => $"Enrolled in help group \"{e.GroupName}\"",
        Counseling.HelpGroupMeetingAttended e => $"Help group meeting attended ({e.MeetingOn:yyyy-MM-dd})",
        Counseling.HelpGroupMeetingMissed e => $"Help group meeting missed ({e.MeetingOn:yyyy-MM-dd})",

        Relapse.MonitoringStarted e => $"Relapse monitoring started after detox {e.DetoxOutcome.Replace('-', ' ')} (rule {e.Rule})",
        Relapse.UrineScreenRecorded e => e.NotCollected ? $"Urine screen not collected ({e.CollectedOn:yyyy-MM-dd})"
            : $"Urine screen {e.CollectedOn:yyyy-MM-dd}: " + (e.NonPrescribedOpioidPositive
                ? "positive for " + string.Join(", ", e.Results.Where(r => r.Value == "positive").Select(r => r.Key))
                : "no non-prescribed opioids"),
        Relapse.UseSelfReported e => $"Reported {e.Substance} use on {e.UsedOn:yyyy-MM-dd}",
        Relapse.VisitMissed e => $"Missed visit ({e.Source.Replace('-', ' ')}) on {e.MissedOn:yyyy-MM-dd}",
        Relapse.RelapseDetected e => $"Relapse from {e.RelapsedOn:yyyy-MM-dd} by rule {e.Rule}: {e.Evidence}",
        Relapse.RelapseRetracted e => $"Relapse withdrawn: rule {e.Rule} replaced {e.PreviousRule}",
        // Where the patient went is the other clinic's to share (42 CFR 2.13(c)): its own entries say so under consent.
        Relapse.ReturnedToTreatment e => e.NewClinicId == e.ClinicId ? "Returned to treatment here" : "Returned to treatment elsewhere",
        _ => fact.GetType().Name,
    };

    private static string Schedule(IReadOnlyList<Detox.DosePhase> phases) =>
        string.Join(", ", phases.Select(p => $"{p.Phase} {p.Days} d at {p.DailyDoseMg:0.##} mg"));

    private static string LabName(string test) => test switch
    {
        "hiv" => "HIV",
        "hepatitis-b" => "Hepatitis B",
        "hepatitis-c" => "Hepatitis C",
        _ => test,
    };
}
