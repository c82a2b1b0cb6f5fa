using Marten;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>
/// A treatment episode on the timeline: what happened from one assessment on, at whichever clinics, by clinical time.
/// Facts outside any episode (registrations) form a group with no episode id and number 0. <see cref="Label"/> says
/// which episode it is in the clinic's words: "Episode 2 · clinic-south · methadone · Nov 2026".
/// </summary>
public sealed record TimelineEpisode(
    Guid? EpisodeId,
    int Number,
    string Label,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    IReadOnlyList<string> Clinics,
    IReadOnlyList<string> Services,
    IReadOnlyList<TimelineEntry> Entries)
{
    public static IReadOnlyList<TimelineEpisode> Of(IReadOnlyList<TimelineEntry> entries)
    {
        var groups = entries.GroupBy(e => e.EpisodeId)
            .Select(g => (g.Key, Entries: g.ToList(), Start: g.Min(e => e.EffectiveAt ?? e.OccurredAt), Last: g.Max(e => e.EffectiveAt ?? e.OccurredAt)))
            .OrderBy(g => g.Key is null ? 0 : 1).ThenBy(g => g.Start)
            .ToList();
        var number = 0;
        return groups.Select(g =>
        {
            var n = g.Key is null ? 0 : ++number;
            var clinics = g.Entries.Select(e => e.ClinicId).Distinct().ToList();
            var medication = g.Entries.LastOrDefault(e => e.Medication is not null)?.Medication;
            var label = string.Join(" · ", new[]
            {
                n == 0 ? "Outside an episode" : $"Episode {n}", string.Join(", ", clinics), medication,
                g.Start.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
            }.Where(p => !string.IsNullOrEmpty(p)));
            return new TimelineEpisode(g.Key, n, label, g.Start, g.Last, clinics, g.Entries.Select(e => e.Service).Distinct().ToList(), g.Entries);
        }).ToList();
    }
}

/// <summary>Records from another clinic in a response, and the consent they were disclosed under.</summary>
public sealed record SharedSource(string ClinicId, Guid ConsentId, int Entries);

/// <summary>
/// A patient's timeline as one clinic may see it. When it holds other clinics' records it names them, the consents and
/// the disclosure, and carries the re-disclosure notice.
/// </summary>
public sealed record TimelineView(
    Guid PatientId,
    int EntryCount,
    IReadOnlyList<TimelineEntry> Entries,
    IReadOnlyList<TimelineEpisode> Episodes,
    IReadOnlyList<SharedSource> SharedFrom,
    Guid? DisclosureId,
    string? RedisclosureNotice)
{
    public static TimelineView Of(Guid patientId, SharedView view, Disclosure? disclosure) => new(patientId, view.Entries.Count, view.Entries,
        TimelineEpisode.Of(view.Entries),
        disclosure?.Records.Select(r => new SharedSource(r.SourceClinic, r.ConsentId, r.EntryIds.Count)).ToList() ?? [],
        disclosure?.Id,
        disclosure is null ? null : SharingPolicy.RedisclosureNotice);
}

public static class GetTimeline
{
    internal static async Task<IResult> Handle(Guid patientId, string? purpose, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var (read, error) = await NetworkRecord.Open(session, http, patientId, purpose, "timeline", clock, ct);
        return error is not null ? Problems.From(error) : Results.Ok(TimelineView.Of(patientId, read!.View, read.Disclosure));
    }
}
