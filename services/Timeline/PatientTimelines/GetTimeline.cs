using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

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

public sealed record TimelineView(Guid PatientId, int EntryCount, IReadOnlyList<TimelineEntry> Entries, IReadOnlyList<TimelineEpisode> Episodes)
{
    public static TimelineView Of(PatientTimeline timeline) => new(timeline.Id, timeline.Entries.Count, timeline.Entries,
        timeline.Entries
            .GroupBy(e => e.EpisodeId)
            .Select(g => new TimelineEpisode(g.Key, g.First().OccurredAt, g.Last().OccurredAt,
                g.Select(e => e.ClinicId).Distinct().ToList(), g.Select(e => e.Service).Distinct().ToList(), g.ToList()))
            .OrderBy(e => e.StartedAt)
            .ToList());
}

public static class GetTimeline
{
    internal static async Task<IResult> Handle(Guid patientId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PatientTimeline>(patientId, ct) is { } timeline
            ? Results.Ok(TimelineView.Of(timeline))
            : Problems.From(DomainError.NotFound("patient-not-found", $"The network has no record of patient {patientId}."));
}
