using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Analytics;

/// <summary>One fact as analysts see it: the week it happened, where, which service, what kind. No summary text, no ids.</summary>
public sealed record DeidentifiedEntry(DateOnly Week, int Episode, string ClinicId, string Service, string Kind);

/// <summary>A journey as analysts see it: a pseudonym instead of the patient id, an age band instead of a birth year.</summary>
public sealed record DeidentifiedJourney(string Pseudonym, string? Sex, string AgeBand, IReadOnlyList<DeidentifiedEntry> Entries);

/// <summary>
/// Pseudonymous ids: a keyed hash (HMAC-SHA256) of the patient id, stable per patient so cohorts can be followed over time,
/// and not reversible without the key ("Privacy:PseudonymKey"), which analysts never hold.
/// </summary>
public sealed class Pseudonyms(byte[] key)
{
    public static Pseudonyms From(IConfiguration configuration)
    {
        var value = configuration["Privacy:PseudonymKey"];
        byte[] key;
        try { key = Convert.FromBase64String(value ?? ""); }
        catch (FormatException) { key = []; }
        if (key.Length < 32) throw new InvalidOperationException("Privacy:PseudonymKey must be a base64 key of at least 32 bytes (deploy/environment.sh makes one).");
        return new Pseudonyms(key);
    }

    public string Of(Guid patientId) => "p-" + Convert.ToHexStringLower(HMACSHA256.HashData(key, patientId.ToByteArray(bigEndian: true)).AsSpan(0, 12));
}

/// <summary>
/// The de-identification rules (HIPAA safe-harbor style): no names, contact or free text (the network record holds none; its
/// summaries are left out because they carry exact dates); dates coarsened to the week (its Monday, UTC); ages in bands, the
/// last band open so the very old are not singled out; episode ids replaced by their order in the journey.
/// </summary>
public static class Deidentification
{
    /// <summary>A patient's journey from their stored entries (any order); sex and birth year come from the latest registration.</summary>
    public static DeidentifiedJourney Of(Guid patientId, IEnumerable<StoredEntry> stored, Pseudonyms pseudonyms, DateOnly? from = null, DateOnly? to = null)
    {
        var ordered = PatientTimeline.InRecordOrder(stored).ToList();
        var registration = ordered.Where(e => e.Entry.Kind == "patient-registered").MaxBy(e => e.RecordedAt);
        var timeline = ordered.Select(e => e.Entry).ToList();
        var episodes = timeline.Where(e => e.EpisodeId is not null).Select(e => e.EpisodeId!.Value).Distinct().ToList();
        // Facts their clinic marked entered in error, or replaced by an amendment, are not part of the journey.
        var entries = timeline.Where(e => e.Correction is null)
            .Where(e => (from is null || DateOnly.FromDateTime((e.EffectiveAt ?? e.OccurredAt).UtcDateTime) >= from) &&
                        (to is null || DateOnly.FromDateTime((e.EffectiveAt ?? e.OccurredAt).UtcDateTime) <= to))
            .Select(e => new DeidentifiedEntry(WeekOf(e.EffectiveAt ?? e.OccurredAt), e.EpisodeId is { } id ? episodes.IndexOf(id) + 1 : 0, e.ClinicId, e.Service, e.Kind))
            .ToList();
        var firstYear = timeline.Count > 0 ? (timeline[0].EffectiveAt ?? timeline[0].OccurredAt).UtcDateTime.Year : (int?)null;
        return new DeidentifiedJourney(pseudonyms.Of(patientId), registration?.Sex, AgeBand(registration?.BirthYear, firstYear), entries);
    }

    /// <summary>The Monday of the ISO week the moment falls in (UTC).</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>Age (in years, from the birth year) when the journey began, in bands.</summary>
    public static string AgeBand(int? birthYear, int? atYear)
    {
        if (birthYear is null || atYear is null) return "unknown";
        var age = atYear.Value - birthYear.Value;
        return age switch
        {
            < 18 => "under-18",
            < 25 => "18-24",
            < 35 => "25-34",
            < 45 => "35-44",
            < 55 => "45-54",
            < 65 => "55-64",
            _ => "65-plus",
        };
    }
}
