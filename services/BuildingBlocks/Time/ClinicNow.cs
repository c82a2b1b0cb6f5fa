namespace Recovery.BuildingBlocks.Time;

/// <summary>
/// "Now" as a request at a clinic sees it: the instant, and the calendar date it is at the clinic (in the clinic's time
/// zone). Every rule about dates ("today", "not in the future") reads <see cref="Today"/>, so a late-evening entry at a
/// clinic west of UTC is dated that evening, not tomorrow.
/// </summary>
public readonly record struct ClinicNow(DateTimeOffset Instant, DateOnly Today)
{
    /// <summary>At a clinic on UTC (the default time zone): tools and tests that hold only an instant.</summary>
    public static implicit operator ClinicNow(DateTimeOffset utc) => new(utc, DateOnly.FromDateTime(utc.UtcDateTime));

    public static implicit operator DateTimeOffset(ClinicNow now) => now.Instant;

    /// <summary>The instant and its calendar date in <paramref name="zone"/>.</summary>
    public static ClinicNow In(DateTimeOffset instant, TimeZoneInfo zone) =>
        new(instant, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));

    /// <summary>As <see cref="In(DateTimeOffset, TimeZoneInfo)"/>, by IANA zone name.</summary>
    public static ClinicNow In(DateTimeOffset instant, string zone) => In(instant, TimeZoneInfo.FindSystemTimeZoneById(zone));
}

/// <summary>A clinic's settings that are not clinical thresholds: configuration section "Clinic".</summary>
public sealed class ClinicSettings
{
    public const string Section = "Clinic";

    /// <summary>The clinic's IANA time zone (e.g. "Europe/Lisbon"); its calendar dates are this zone's.</summary>
    public string TimeZone { get; set; } = "UTC";
}

/// <summary>The one policy for "now" and "today": the service's <see cref="TimeProvider"/> and the clinic's time zone.</summary>
public sealed class ClinicClock(TimeProvider time, Protocols.ClinicProtocols<ClinicSettings> settings)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> _zones = new();

    public TimeProvider Time => time;

    public ClinicNow Now(string clinicId) => At(clinicId, time.GetUtcNow());

    /// <summary>The instant and its date at the clinic.</summary>
    public ClinicNow At(string clinicId, DateTimeOffset instant) => ClinicNow.In(instant, ZoneOf(clinicId));

    /// <summary>The start of a calendar day at the clinic, as an instant with the clinic's offset that day.</summary>
    public DateTimeOffset StartOf(string clinicId, DateOnly day)
    {
        var zone = ZoneOf(clinicId);
        var local = day.ToDateTime(TimeOnly.MinValue);
        // A day whose midnight a clock change skips starts at the first valid minute.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Every clinic on UTC: for tools and tests with no configuration.</summary>
    public static ClinicClock Utc { get; } = new(TimeProvider.System,
        new Protocols.ClinicProtocols<ClinicSettings>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), ClinicSettings.Section));

    /// <summary>The clinic's time zone; a zone the machine does not know stops the request with a clear message.</summary>
    public TimeZoneInfo ZoneOf(string clinicId) => _zones.GetOrAdd(clinicId, id =>
    {
        var name = settings.For(id).TimeZone;
        try { return TimeZoneInfo.FindSystemTimeZoneById(name); }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidOperationException($"Clinic:Clinics:{id}:TimeZone '{name}' is not an IANA time zone this machine knows.");
        }
    });
}
