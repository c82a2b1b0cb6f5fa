namespace Recovery.Clinical;

/// <summary>The 11 DSM-5 criteria for opioid use disorder (within a 12-month period).</summary>
public enum OudCriterion
{
    LargerAmountsOrLongerThanIntended,
    UnsuccessfulEffortsToCutDown,
    MuchTimeSpentObtainingUsingRecovering,
    Craving,
    FailureToFulfilMajorObligations,
    UseDespiteSocialProblems,
    ActivitiesGivenUp,
    UseInHazardousSituations,
    UseDespitePhysicalOrPsychologicalHarm,
    Tolerance,
    Withdrawal,
}

public enum OudSeverity
{
    None,
    Mild,
    Moderate,
    Severe,
}

/// <summary>The criteria that count, how many, the severity and its ICD-10-CM code.</summary>
public sealed record OudDiagnosis(IReadOnlyList<OudCriterion> Counted, OudSeverity Severity, string? Icd10Code)
{
    public int CriteriaCounted => Counted.Count;
}

/// <summary>
/// DSM-5 opioid use disorder (criteria table as reproduced in PMC6590307; BCCSU guideline appendix 2):
/// 2 or more criteria make the diagnosis; mild 2-3, moderate 4-5, severe 6+. Tolerance and withdrawal do
/// not count when opioids are taken only under appropriate medical supervision.
/// </summary>
public static class Dsm5
{
    public static OudDiagnosis Diagnose(IEnumerable<OudCriterion> criteriaMet, bool onlyUnderMedicalSupervision)
    {
        var counted = criteriaMet
            .Distinct()
            .Where(c => !(onlyUnderMedicalSupervision && c is OudCriterion.Tolerance or OudCriterion.Withdrawal))
            .Order()
            .ToList();
        var severity = SeverityOf(counted.Count);
        return new OudDiagnosis(counted, severity, Icd10CodeOf(severity));
    }

    public static OudSeverity SeverityOf(int criteriaCounted) => criteriaCounted switch
    {
        < 2 => OudSeverity.None,
        <= 3 => OudSeverity.Mild,
        <= 5 => OudSeverity.Moderate,
        _ => OudSeverity.Severe,
    };

    /// <summary>ICD-10-CM: mild use disorder codes as F11.10 (abuse), moderate or severe as F11.20 (dependence).</summary>
    public static string? Icd10CodeOf(OudSeverity severity) => severity switch
    {
        OudSeverity.Mild => "F11.10",
        OudSeverity.Moderate or OudSeverity.Severe => "F11.20",
        _ => null,
    };
}
