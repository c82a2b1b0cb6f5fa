using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;

namespace Recovery.Detox.Dosing;

/// <summary>
/// A clinic's limits on doses after the first (titration and daily maxima). Defaults are the platform's; a clinic overrides
/// them under "DosingProtocol:Default" or "DosingProtocol:Clinics:{clinicId}". Every limit here may be exceeded by a dose
/// that carries an overrideReason, recorded on the dose. Days are 24-hour periods from the medication's first dose.
/// </summary>
public sealed class DosingProtocol
{
    public const string Section = "DosingProtocol";

    /// <summary>
    /// Methadone: after the first day, a day's total at most this many mg above the previous dosed day's total. Overdose
    /// deaths cluster in the first two weeks of induction (SAMHSA TIP 63; TIP 43: increase by 5-10 mg); RCGP: 5-10 mg a day.
    /// </summary>
    public decimal MethadoneTitrationStepMg { get; set; } = 10m;

    /// <summary>
    /// Methadone in its first <see cref="MethadoneTitrationWeeklyDays"/> days: a day's total at most this many mg above the
    /// lowest dosed day's total of the 6 days before it, so any 7 days rise by at most this (RCGP: at most 30 mg a week in the
    /// first two weeks).
    /// </summary>
    public decimal MethadoneTitrationWeeklyMg { get; set; } = 30m;

    /// <summary>How many days from the first dose the weekly titration limit applies (RCGP: the first two weeks).</summary>
    public int MethadoneTitrationWeeklyDays { get; set; } = 14;

    /// <summary>
    /// Buprenorphine: the first day's total at most this many mg (SAMHSA TIP 63: usually up to 16 mg on day 1). A clinic may
    /// set 8 mg (the label's day 1) or more for a high-dose induction protocol.
    /// </summary>
    public decimal BuprenorphineDayOneLimitMg { get; set; } = 16m;

    /// <summary>Buprenorphine: any later day's total at most this many mg (label and TIP 63: maintenance 4-24 mg a day).</summary>
    public decimal BuprenorphineDailyMaximumMg { get; set; } = 24m;
}

/// <summary>The caller clinic's effective dosing protocol, as GET /dosing-protocol answers it.</summary>
public sealed record DosingProtocolView(string ClinicId, DosingProtocol Settings)
{
    internal static IResult Get(HttpContext http, ClinicProtocols<DosingProtocol> protocols)
    {
        var clinic = Clinic.Of(http)!;
        return Results.Ok(new DosingProtocolView(clinic, protocols.For(clinic)));
    }
}
