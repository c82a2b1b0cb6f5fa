using Recovery.Contracts;
using Assessment = Recovery.Contracts.Assessment.V1;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>The one-line summary a clinician reads on the timeline, per kind of fact.</summary>
public static class TimelineSummaries
{
    public static string Describe(IPatientEvent fact) => fact switch
    {
        Assessment.PatientRegistered e => $"Registered at {e.ClinicId} (sex {e.Sex}, born {e.BirthYear})",
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
        _ => fact.GetType().Name,
    };

    private static string LabName(string test) => test switch
    {
        "hiv" => "HIV",
        "hepatitis-b" => "Hepatitis B",
        "hepatitis-c" => "Hepatitis C",
        _ => test,
    };
}
