using Recovery.BuildingBlocks.Protocols;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Detox.Induction;

/// <summary>
/// A clinic's thresholds for a first dose (induction). Defaults are the platform's; a clinic overrides them in
/// configuration under "InductionProtocol:Default" or "InductionProtocol:Clinics:{clinicId}".
/// Sources: SAMHSA TIP 63; product labels; 42 CFR 8.12 and the 2024 final rule (89 FR 7528).
/// </summary>
public sealed class InductionProtocol
{
    /// <summary>Buprenorphine only in objective withdrawal: a COWS total of at least this (TIP 63: COWS &gt;= 8).</summary>
    public int BuprenorphineMinimumCows { get; set; } = 8;

    /// <summary>That COWS must be scored at most this many minutes before the dose.</summary>
    public int BuprenorphineCowsWindowMinutes { get; set; } = 60;

    /// <summary>Buprenorphine strictly more than this many hours after short-acting opioids such as heroin (TIP 63: 12 h).</summary>
    public int BuprenorphineHoursAfterShortActing { get; set; } = 12;

    /// <summary>
    /// How every buprenorphine wait below is read. TIP 63 writes "12 hours" without saying whether a dose at exactly 12 h is
    /// early, so it is a protocol choice: false (the default, the stricter reading) means more than the wait, a dose at exactly
    /// 12 h is too soon; true means at least the wait.
    /// </summary>
    public bool BuprenorphineWaitInclusive { get; set; }

    /// <summary>... after extended-release opioids (TIP 63: 24 h).</summary>
    public int BuprenorphineHoursAfterExtendedRelease { get; set; } = 24;

    /// <summary>... after methadone (TIP 63: 72 h).</summary>
    public int BuprenorphineHoursAfterMethadone { get; set; } = 72;

    /// <summary>... after buprenorphine itself: no wait, the patient already takes it.</summary>
    public int BuprenorphineHoursAfterBuprenorphine { get; set; }

    /// <summary>Extended-release naltrexone needs at least this many opioid-free days (label: 7-10 days).</summary>
    public int NaltrexoneOpioidFreeDays { get; set; } = 7;

    /// <summary>... and at least this many after methadone or buprenorphine (TIP 63: up to 14 days).</summary>
    public int NaltrexoneOpioidFreeDaysAfterLongActing { get; set; } = 14;

    /// <summary>Methadone's first dose at most this many mg without a documented reason (42 CFR 8.12: 30 mg).</summary>
    public decimal MethadoneFirstDoseCapMg { get; set; } = 30m;

    /// <summary>
    /// All methadone given in the first day at most this many mg without a documented reason (40 mg). The first day is the
    /// 24 hours from the first dose, not a calendar date, so a split dose across midnight counts in full. 30/40 mg is the
    /// conservative text many state rules keep (California 9 CCR 10355); a clinic may set the 2024 federal values.
    /// </summary>
    public decimal MethadoneDayOneCapMg { get; set; } = 40m;

    /// <summary>
    /// Methadone's first dose with a QTc at or above this (ms) needs an explicit acknowledgement (qtcAcknowledged) that the
    /// risk was discussed and will be monitored (Krantz et al., Ann Intern Med 2009: 450-500 ms, discuss and monitor).
    /// </summary>
    public int MethadoneQtcAcknowledgeFromMs { get; set; } = 450;

    /// <summary>
    /// Methadone's first dose with a QTc above this (ms) is refused without an override: qtcAcknowledged and an overrideReason
    /// (Krantz et al. 2009: above 500 ms, consider an alternative or a lower dose).
    /// </summary>
    public int MethadoneQtcRefuseAboveMs { get; set; } = 500;
}

/// <summary>The caller clinic's effective protocol, as GET /induction-protocol answers it.</summary>
public sealed record InductionProtocolView(string ClinicId, InductionProtocol Settings)
{
    public const string Section = "InductionProtocol";

    internal static IResult Get(HttpContext http, ClinicProtocols<InductionProtocol> protocols)
    {
        var clinic = Clinic.Of(http)!;
        return Results.Ok(new InductionProtocolView(clinic, protocols.For(clinic)));
    }
}
