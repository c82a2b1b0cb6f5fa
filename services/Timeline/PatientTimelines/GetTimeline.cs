using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.PatientTimelines;

/// <summary>
/// A treatment episode on the timeline: what happened from one assessment on, at whichever clinics. Its entries are
/// those of the timeline with this episode id (facts outside any episode, registrations, form a group with none);
/// they are not repeated here, so the stored timeline stays half the size.
/// </summary>
public sealed record TimelineEpisode(
    Guid? EpisodeId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    int EntryCount,
    IReadOnlyList<string> Clinics,
    IReadOnlyList<string> Services)
{
    public static IReadOnlyList<TimelineEpisode> Of(IReadOnlyList<TimelineEntry> entries) => entries
        .GroupBy(e => e.EpisodeId)
        .Select(g => new TimelineEpisode(g.Key, g.First().OccurredAt, g.Last().OccurredAt, g.Count(),
            g.Select(e => e.ClinicId).Distinct().ToList(), g.Select(e => e.Service).Distinct().ToList()))
        .OrderBy(e => e.StartedAt)
        .ToList();
}

public static class GetTimeline
{
    /// <summary>The stored document is the answer: no deserialising and serialising on the read path.</summary>
    internal static async Task<IResult> Handle(Guid patientId, IQuerySession session, CancellationToken ct) =>
        await session.Json.FindByIdAsync<PatientTimeline>(patientId, ct) is { } json
            ? Results.Text(json, "application/json")
            : Problems.From(DomainError.NotFound("patient-not-found", $"The network has no record of patient {patientId}."));
}
