namespace Recovery.Counseling;

/// <summary>
/// Times and dates in requests record facts, so they may lie in the past (entered late) but not in the future.
/// </summary>
public static class PastFacts
{
    /// <summary>Clocks of the clinic's devices and the server differ a little.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static bool IsInFuture(DateTimeOffset at, DateTimeOffset now) => at > now + ClockTolerance;

    /// <summary>
    /// A date is a day at the clinic, whose time zone the service does not know: it is in the future only
    /// once it is later than today in the time zone furthest ahead of UTC (UTC+14).
    /// </summary>
    public static bool IsInFuture(DateOnly day, DateTimeOffset now) => day > DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);
}
