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
    public static IReadOnlyList<TimelineEpisode> Of(IReadOnlyList<TimelineEntry> entries) =>
        Numbered(entries.GroupBy(e => e.EpisodeId)
                .Select(g => new EpisodeSummary(g.Key, g.Min(e => e.EffectiveAt ?? e.OccurredAt), g.Max(e => e.EffectiveAt ?? e.OccurredAt),
                    g.Select(e => e.ClinicId).Distinct().ToArray(), g.Select(e => e.Service).Distinct().ToArray(),
                    g.LastOrDefault(e => e.Medication is not null)?.Medication, g.Count())),
            summary => entries.Where(e => e.EpisodeId == summary.EpisodeId).ToList());

    /// <summary>
    /// The episodes of a page: numbered and labelled as on the whole timeline (<paramref name="all"/>), each with the page's
    /// entries of it, in the page's order.
    /// </summary>
    public static IReadOnlyList<TimelineEpisode> OfPage(IReadOnlyList<TimelineEntry> page, IReadOnlyList<EpisodeSummary> all) =>
        Numbered(all, summary => page.Where(e => e.EpisodeId == summary.EpisodeId).ToList())
            .Where(e => e.Entries.Count > 0)
            .OrderBy(e => page.ToList().FindIndex(entry => entry.EpisodeId == e.EpisodeId))
            .ToList();

    /// <summary>Episodes in order of their start (outside-an-episode first, as number 0), numbered and labelled.</summary>
    private static IReadOnlyList<TimelineEpisode> Numbered(IEnumerable<EpisodeSummary> summaries, Func<EpisodeSummary, IReadOnlyList<TimelineEntry>> entriesOf)
    {
        var number = 0;
        return summaries.OrderBy(g => g.EpisodeId is null ? 0 : 1).ThenBy(g => g.StartedAt).Select(g =>
        {
            var n = g.EpisodeId is null ? 0 : ++number;
            var label = string.Join(" · ", new[]
            {
                n == 0 ? "Outside an episode" : $"Episode {n}", string.Join(", ", g.Clinics), g.Medication,
                g.StartedAt.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
            }.Where(p => !string.IsNullOrEmpty(p)));
            return new TimelineEpisode(g.EpisodeId, n, label, g.StartedAt, g.LastActivityAt, g.Clinics, g.Services, entriesOf(g));
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

/// <summary>
/// A page of the timeline, newest first: the same fields as the whole timeline (<see cref="EntryCount"/> counts the page),
/// with <see cref="TotalEntries"/> on the whole timeline the caller may see and <see cref="NextCursor"/> for the next page
/// (null on the last one). Episodes are numbered and labelled as on the whole timeline.
/// </summary>
public sealed record TimelinePageView(
    Guid PatientId,
    int EntryCount,
    IReadOnlyList<TimelineEntry> Entries,
    IReadOnlyList<TimelineEpisode> Episodes,
    IReadOnlyList<SharedSource> SharedFrom,
    Guid? DisclosureId,
    string? RedisclosureNotice,
    int TotalEntries,
    int PageSize,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? NextCursor)
{
    public static TimelinePageView Of(Guid patientId, NetworkRecord.Read read, TimelinePageRequest page) =>
        new(patientId, read.View.Entries.Count, read.View.Entries, TimelineEpisode.OfPage(read.View.Entries, read.Episodes!),
            read.Disclosure?.Records.Select(r => new SharedSource(r.SourceClinic, r.ConsentId, r.EntryIds.Count)).ToList() ?? [],
            read.Disclosure?.Id,
            read.Disclosure is null ? null : SharingPolicy.RedisclosureNotice,
            read.Episodes!.Sum(e => e.Entries), page.PageSize, page.From, page.To, read.Next?.Encode());
}

public static class GetTimeline
{
    /// <summary>
    /// GET /patients/{id}/timeline: the whole timeline as the caller's clinic may see it, in clinical order; with any of
    /// <c>pageSize</c>, <c>cursor</c>, <c>from</c>, <c>to</c>, one page of it, newest first.
    /// </summary>
    internal static async Task<IResult> Handle(Guid patientId, string? purpose, string? pageSize, string? cursor, string? from, string? to,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var (page, invalid) = TimelinePageRequest.Parse(pageSize, cursor, from, to);
        if (invalid is not null) return Problems.From(invalid);
        var (read, error) = await NetworkRecord.Open(session, http, patientId, purpose, "timeline", clock, ct, page);
        if (error is not null) return Problems.From(error);
        return page is null ? Results.Ok(TimelineView.Of(patientId, read!.View, read.Disclosure)) : Results.Ok(TimelinePageView.Of(patientId, read!, page));
    }
}
