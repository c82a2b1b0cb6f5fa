using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// One fact as analysts see it: the week it happened, counted from the journey's first fact (week 0 = its first 7 days),
/// where, which service, what kind. No date, no summary text, no ids.
/// </summary>
public sealed record DeidentifiedEntry(int Week, int Episode, string ClinicId, string Service, string Kind);

/// <summary>
/// A journey as analysts see it: a pseudonym instead of the patient id, an age band instead of a birth year, and the year it
/// started as its only absolute date.
/// </summary>
public sealed record DeidentifiedJourney(string Pseudonym, string? Sex, string AgeBand, int? StartYear, IReadOnlyList<DeidentifiedEntry> Entries);

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
/// summaries are left out because they carry exact dates); no date finer than the year: facts by weeks since the journey's
/// first fact, and the year it started; ages in bands, the last band open so the very old are not singled out; episode ids
/// replaced by their order in the journey.
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
        var kept = timeline.Where(e => e.Correction is null).ToList();
        DateTimeOffset? first = kept.Count > 0 ? kept.Min(e => e.EffectiveAt ?? e.OccurredAt) : null;
        var entries = kept
            .Where(e => (from is null || DateOnly.FromDateTime((e.EffectiveAt ?? e.OccurredAt).UtcDateTime) >= from) &&
                        (to is null || DateOnly.FromDateTime((e.EffectiveAt ?? e.OccurredAt).UtcDateTime) <= to))
            .Select(e => new DeidentifiedEntry(WeeksSince(first!.Value, e.EffectiveAt ?? e.OccurredAt),
                e.EpisodeId is { } id ? episodes.IndexOf(id) + 1 : 0, e.ClinicId, e.Service, e.Kind))
            .ToList();
        var startYear = first?.UtcDateTime.Year;
        return new DeidentifiedJourney(pseudonyms.Of(patientId), registration?.Sex, AgeBand(registration?.BirthYear, startYear), startYear, entries);
    }

    /// <summary>Whole weeks from the journey's first fact (week 0 = its first 7 days).</summary>
    public static int WeeksSince(DateTimeOffset first, DateTimeOffset at) => (int)Math.Floor((at - first).TotalDays / 7);

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
