using Recovery.BuildingBlocks.Time;

namespace Recovery.BuildingBlocks.Domain;

/// <summary>
/// Times and dates in requests may lie in the past (facts are often entered late), never in the future.
/// One policy for every service: a time may be ahead of the server by a clock-skew tolerance; a date is a day
/// at the clinic, in the future once it is later than today in the clinic's time zone (<see cref="ClinicNow"/>).
/// </summary>
public static class RequestTimes
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>False for an absent value: whether it is required is another check.</summary>
    public static bool IsInFuture(DateTimeOffset? at, ClinicNow now) => at > now.Instant + FutureTolerance;

    /// <summary>False for an absent value: whether it is required is another check.</summary>
    public static bool IsInFuture(DateOnly? day, ClinicNow now) => day > now.Today;

    /// <summary>The value, or now when absent; an error on <paramref name="field"/> when it is in the future.</summary>
    public static DateTimeOffset NotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, ClinicNow now)
    {
        var at = value ?? now.Instant;
        if (IsInFuture(at, now)) errors.Add(field, "cannot be in the future");
        return at;
    }

    public static DateTimeOffset RequiredNotInFuture(this FieldErrors errors, string field, DateTimeOffset? value, ClinicNow now)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
            return now.Instant;
        }
        return errors.NotInFuture(field, value, now);
    }

    /// <summary>The date, or today at the clinic when absent; an error on <paramref name="field"/> when it is in the future.</summary>
    public static DateOnly NotInFuture(this FieldErrors errors, string field, DateOnly? value, ClinicNow now)
    {
        var on = value ?? now.Today;
        if (IsInFuture(on, now)) errors.Add(field, "cannot be in the future");
        return on;
    }
}
