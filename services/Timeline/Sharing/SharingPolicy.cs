using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Sharing;

/// <summary>What one clinic may see of a patient's network record, and under which consent.</summary>
public sealed record SharedView(IReadOnlyList<TimelineEntry> Entries, IReadOnlyDictionary<string, Guid> ConsentBySourceClinic)
{
    /// <summary>Entries produced by other clinics: each read of them is a disclosure.</summary>
    public IEnumerable<TimelineEntry> DisclosedEntries(string caller) => Entries.Where(e => e.ClinicId != caller);
}

/// <summary>
/// 42 CFR Part 2 as the timeline applies it: a clinic sees what it recorded itself, plus the records of each clinic whose
/// patient consent, live at the moment of the read, names the caller (or the whole network) for the read's purpose.
/// </summary>
public static class SharingPolicy
{
    /// <summary>
    /// The notice every disclosure carries (42 CFR 2.32, 2024 rule). Recipients may not use the records against the patient.
    /// </summary>
    public const string RedisclosureNotice =
        "This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). " +
        "These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in " +
        "this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, " +
        "against the patient, unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as " +
        "authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any " +
        "other use or disclosure of this record unless at least one of the following applies: further use or disclosure is expressly " +
        "permitted by the written consent of the individual whose information is being disclosed in this record or as otherwise " +
        "permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT sufficient for " +
        "this purpose (see 42 CFR 2.31).";

    public static SharedView Visible(IReadOnlyList<TimelineEntry> entries, string caller, SharingPurpose purpose,
        IReadOnlyList<Consent> consents, DateTimeOffset now) => Visible(entries, caller, Consenting(caller, purpose, consents, now));

    /// <summary>
    /// The consent that shares each other clinic's records with the caller for the purpose, live now. The earliest-granted
    /// covering consent is the one named: stable across reads while it stays live.
    /// </summary>
    public static IReadOnlyDictionary<string, Guid> Consenting(string caller, SharingPurpose purpose, IReadOnlyList<Consent> consents,
        DateTimeOffset now) =>
        consents
            .Where(c => c.ClinicId != caller && c.Covers(caller, purpose, now))
            .GroupBy(c => c.ClinicId)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.GrantedAt).ThenBy(c => c.Id).First().Id, StringComparer.Ordinal);

    /// <summary>Whether the caller may see a clinic's records: its own, or those a consent in <paramref name="consenting"/> shares.</summary>
    public static bool MaySee(string clinic, string caller, IReadOnlyDictionary<string, Guid> consenting) =>
        clinic == caller || consenting.ContainsKey(clinic);

    public static SharedView Visible(IReadOnlyList<TimelineEntry> entries, string caller, IReadOnlyDictionary<string, Guid> consenting)
    {
        var visible = entries.Where(e => MaySee(e.ClinicId, caller, consenting)).ToList();
        // Only name consents that actually let an entry through.
        var used = visible.Select(e => e.ClinicId).Where(consenting.ContainsKey).ToHashSet(StringComparer.Ordinal);
        return new SharedView(visible, consenting.Where(kv => used.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal));
    }
}
