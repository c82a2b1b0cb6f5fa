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

    /// <summary>All methadone given on the first dose's (UTC) day at most this many mg without a documented reason (40 mg).</summary>
    public decimal MethadoneDayOneCapMg { get; set; } = 40m;
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
