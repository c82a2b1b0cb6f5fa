using Marten;
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

        // A page of patients (by id, those the clinic recorded anything about), then their entries in one read.
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var pairs = $"{schema}.{TimelineStorage.JourneyClinicTable}";
        var (number, size) = (page ?? 1, pageSize ?? 100);
        var (total, patients) = clinic is null
            ? ((await session.AdvancedSql.QueryAsync<long>($"select count(distinct patient_id) from {pairs}", ct)).Single(),
                await session.AdvancedSql.QueryAsync<Guid>($"select distinct patient_id from {pairs} order by patient_id limit ? offset ?", ct,
                    size, (number - 1L) * size))
            : ((await session.AdvancedSql.QueryAsync<long>($"select count(*) from {pairs} where clinic_id = ?", ct, clinic)).Single(),
                await session.AdvancedSql.QueryAsync<Guid>($"select patient_id from {pairs} where clinic_id = ? order by patient_id limit ? offset ?", ct,
                    clinic, size, (number - 1L) * size));
        var stored = await session.Query<StoredEntry>().Where(e => e.PatientId.IsOneOf(patients.ToArray())).ToListAsync(ct);
        var byPatient = stored.ToLookup(e => e.PatientId);
        var journeys = patients
            .Select(p => Deidentification.Of(p, byPatient[p], pseudonyms, from, to))
            .Where(j => j.Entries.Count > 0)
            .ToList();
        return Results.Ok(new { page = number, pageSize = size, totalJourneys = total, journeys });
    }
}
