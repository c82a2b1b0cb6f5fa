namespace Recovery.BuildingBlocks.Domain;

/// <summary>
/// Times and dates in requests may lie in the past (facts are often entered late), never in the future.
/// One policy for every service: a time may be ahead of the server by a clock-skew tolerance; a date is a day
/// at the clinic, whose time zone the server does not know, so it is in the future only once it is later than
/// today in the time zone furthest ahead of UTC (UTC+14).
/// </summary>
public static class RequestTimes
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>False for an absent value: whether it is required is another check.</summary>
    public static bool IsInFuture(DateTimeOffset? at, DateTimeOffset now) => at > now + FutureTolerance;

    /// <summary>False for an absent value: whether it is required is another check.</summary>
    public static bool IsInFuture(DateOnly? day, DateTimeOffset now) => day > LatestToday(now);

    /// <summary>The latest calendar date it is anywhere now.</summary>
    public static DateOnly LatestToday(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The value, or now when absent; an error on <paramref name="field"/> when it is in the future.</summary>
    public static DateTimeOffset NotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        var at = value ?? now;
        if (IsInFuture(at, now)) errors.Add(field, "cannot be in the future");
        return at;
    }

    public static DateTimeOffset RequiredNotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
            return now;
        }
        return errors.NotInFuture(field, value, now);
    }

    /// <summary>The date, or today (UTC) when absent; an error on <paramref name="field"/> when it is in the future.</summary>
    public static DateOnly NotInFuture(this FieldErrors errors, string field, DateOnly? value, DateTimeOffset now)
    {
        var on = value ?? Today(now);
        if (IsInFuture(on, now)) errors.Add(field, "cannot be in the future");
        return on;
    }
}
