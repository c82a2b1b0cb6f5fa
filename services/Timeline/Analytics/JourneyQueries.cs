using Marten;
using Marten.Pagination;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// De-identified journeys for the analytics team. De-identified data may be shared without consent (42 CFR 2.52),
/// so these answer across the whole network, and never with anything that identifies a person.
/// </summary>
public static class JourneyQueries
{
    public const int MaxPageSize = 500;

    internal static async Task<IResult> List(string? clinic, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        IQuerySession session, Pseudonyms pseudonyms, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (clinic is not null && !Clinic.IsValidId(clinic)) errors.Add("clinic", "must be a clinic id (2-63 lower-case letters, digits or hyphens)");
        if (from > to) errors.Add("from", "must not be after to");
        if (page < 1) errors.Add("page", "must be at least 1");
        if (pageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"must be between 1 and {MaxPageSize}");
        if (errors.Any) return Problems.From(errors.ToError());

        IQueryable<PatientTimeline> query = session.Query<PatientTimeline>();
        if (clinic is not null) query = query.Where(t => t.Entries.Any(e => e.ClinicId == clinic));
        var timelines = await query.OrderBy(t => t.Id).ToPagedListAsync(page ?? 1, pageSize ?? 100, ct);
        var journeys = timelines
            .Select(t => Deidentification.Of(t, pseudonyms, from, to))
            .Where(j => j.Entries.Count > 0)
            .ToList();
        return Results.Ok(new { page = timelines.PageNumber, pageSize = timelines.PageSize, totalJourneys = timelines.TotalItemCount, journeys });
    }
}
