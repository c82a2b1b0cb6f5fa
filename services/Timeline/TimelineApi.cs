using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Analytics;
using Recovery.Timeline.Erasure;
using Recovery.Timeline.Fhir;
using Recovery.Timeline.PatientTimelines;
using Recovery.Timeline.Rebuilding;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline;

/// <summary>The Timeline service's HTTP API: the network record, its sharing and its de-identified analytics.</summary>
public static class TimelineApi
{
    public static void MapTimelineApi(this IEndpointRouteBuilder app)
    {
        // Care staff read the network record as their clinic may see it; every read of another clinic's records is a disclosure.
        var patients = app.MapGroup("/patients/{patientId}").WithTags("Network record");
        patients.MapGet("/timeline", GetTimeline.Handle).RequireClinic(Roles.Clinician, Roles.Counselor)
            .WithSummary("The patient's timeline: the caller clinic's records and those a live consent shares with it")
            .WithDescription("Without paging parameters: every entry, in clinical order. With any of pageSize (1-500, default 50), cursor " +
                "(a page's nextCursor, opaque), from and to (clinical time, ISO 8601 or a date, both included): one page, newest first, " +
                "with totalEntries and nextCursor (null on the last page). A bad cursor, size or range is 400 naming the parameter.");
        patients.MapGet("/fhir", ExportFhir.Handle).RequireClinic(Roles.Clinician, Roles.Integrator)
            .WithSummary("The patient's record as a FHIR R4 Bundle, under the same consent rules as the timeline");
        patients.MapGroup("").RequireClinic(Roles.Clinician, Roles.Counselor).MapConsentCommands();
        patients.MapGet("/consents", ConsentEndpoints.List).RequireClinic(Roles.Clinician, Roles.Counselor, Roles.Admin)
            .WithSummary("The patient's consents");
        patients.MapGet("/disclosures", NetworkRecord.Disclosures).RequireClinic(Roles.Clinician, Roles.Admin, Roles.NetworkAdmin)
            .WithSummary("What the network disclosed of the patient (default: the past three years)");
        patients.MapGroup("").RequireClinic(Roles.Admin, Roles.NetworkAdmin).MapErasureCommands();

        // Analysts see de-identified journeys only, across the network; they hold no clinic's key to the record above.
        var analytics = app.MapGroup("/analytics").WithTags("Analytics").RequireRoles(Roles.Analyst);
        analytics.MapGet("/journeys", JourneyQueries.List).WithSummary("De-identified journeys: pseudonym, age band, facts by week");
        analytics.MapGet("/retention", OutcomeQueries.Retention)
            .WithSummary("Share of episodes in continuous treatment at 30/90/180 days and days in treatment, per clinic, medication and month");
        analytics.MapGet("/relapse-survival", OutcomeQueries.RelapseSurvival)
            .WithSummary("Kaplan-Meier time to relapse after detox completion by medication and by clinic, with numbers at risk");
        analytics.MapGet("/induction-withdrawal", OutcomeQueries.InductionWithdrawal)
            .WithSummary("COWS median and quartiles by hour since the first dose, per medication");
        analytics.MapGet("/screen-positivity", OutcomeQueries.ScreenPositivity)
            .WithSummary("Urine screens positive for non-prescribed opioids by week since detox completion, per medication");
        analytics.MapRelapseDefinitionAnalytics();

        // Read models are derived: an administrator can rebuild one from the store while the service keeps answering.
        var projections = app.MapGroup("/admin/projections").WithTags("Administration").RequireRoles(Roles.Admin);
        projections.MapGet("/", RebuildEndpoints.List).WithSummary("The read models that can be rebuilt, and their last rebuild");
        projections.MapPost("/{name}/rebuild", RebuildEndpoints.Start).WithSummary("Rebuild a read model from the event store (in the background)");
        projections.MapGet("/{name}/rebuild", RebuildEndpoints.Status).WithSummary("Progress of the read model's rebuild and the events per second it reached");
    }
}
