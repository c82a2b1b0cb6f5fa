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
}
