namespace Recovery.Relapse.Rules;

/// <summary>
/// A clinic's relapse protocol (configuration "RelapseProtocol:Default" and "RelapseProtocol:Clinics:{clinicId}").
/// Relapse has no single clinical definition, so the threshold is the clinic's to set.
/// </summary>
public sealed class RelapseProtocol
{
    public const string Section = "RelapseProtocol";

    /// <summary>CTN-0094 return to use: 4 consecutive weekly screens missing or positive for non-prescribed opioids.</summary>
    public int ConsecutiveBadWeeks { get; set; } = 4;

    /// <summary>
    /// Prescribed follows the medication the patient was receiving when the screen was collected. Monitoring begins when
    /// the detox ends (a completed taper, or a dropout), so the detox medication is no longer received; a positive for it
    /// up to this many days after the detox's last day is still read as the medication leaving the body, later it is
    /// non-prescribed use. ASAM 2017 (Appropriate use of drug testing in clinical addiction medicine): buprenorphine
    /// detectable in urine up to 7 days, methadone up to 3 and its metabolite EDDP up to 6.
    /// </summary>
    public int PrescribedResidualDays { get; set; } = 7;
}
