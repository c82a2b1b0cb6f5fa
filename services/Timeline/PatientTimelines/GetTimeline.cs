using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.PatientTimelines;

public sealed record TimelineView(Guid PatientId, int EntryCount, IReadOnlyList<TimelineEntry> Entries);

public static class GetTimeline
{
    internal static async Task<IResult> Handle(Guid patientId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PatientTimeline>(patientId, ct) is { } timeline
            ? Results.Ok(new TimelineView(timeline.Id, timeline.Entries.Count, timeline.Entries))
            : Problems.From(DomainError.NotFound("patient-not-found", $"The network has no record of patient {patientId}."));
}
