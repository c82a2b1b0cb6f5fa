namespace Recovery.Counseling;

/// <summary>
/// A clinic's counseling protocol: thresholds of the service's rules. Defaults here; a clinic overrides them
/// under "CounselingProtocol:Default" or "CounselingProtocol:Clinics:{clinicId}".
/// </summary>
public sealed class CounselingProtocol
{
    public const string Section = "CounselingProtocol";

    /// <summary>
    /// How long before its scheduled time a session may start and still count as that session. Earlier than
    /// this, the "attendance" is more likely a mistyped time or another session. A clinic's own choice.
    /// </summary>
    public int EarlyAttendanceToleranceMinutes { get; set; } = 30;
}
