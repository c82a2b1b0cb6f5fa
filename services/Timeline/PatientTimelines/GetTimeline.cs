using Marten;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>
/// A treatment episode on the timeline: what happened from one assessment on, at whichever clinics.
/// Facts outside any episode (registrations) form a group with no episode id.
/// </summary>
public sealed record TimelineEpisode(
    Guid? EpisodeId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    IReadOnlyList<string> Clinics,
    IReadOnlyList<string> Services,
    IReadOnlyList<TimelineEntry> Entries);

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
        view.Entries
            .GroupBy(e => e.EpisodeId)
            .Select(g => new TimelineEpisode(g.Key, g.First().OccurredAt, g.Last().OccurredAt,
                g.Select(e => e.ClinicId).Distinct().ToList(), g.Select(e => e.Service).Distinct().ToList(), g.ToList()))
            .OrderBy(e => e.StartedAt)
            .ToList(),
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
