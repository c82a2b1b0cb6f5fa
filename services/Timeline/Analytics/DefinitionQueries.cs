using Marten;
using Microsoft.AspNetCore.Routing;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// Relapse under the field's definitions for analysts (de-identified, across the network): Kaplan-Meier per definition, the
/// definitions compared on one cohort, and the weekly use pattern itself for analysts' own tools (CTNote).
/// </summary>
public static class DefinitionQueries
{
    public static void MapRelapseDefinitionAnalytics(this IEndpointRouteBuilder analytics)
    {
        analytics.MapGet("/relapse-definitions/survival", Survival)
            .WithSummary("Kaplan-Meier time to relapse after detox completion under each chosen relapse definition, in weeks");
        analytics.MapGet("/relapse-definitions/comparison", Comparison)
            .WithSummary("The relapse definitions side by side on the same cohort: evaluable, relapsed, median, relapse-free at 4/12/26 weeks");
        analytics.MapGet("/use-patterns", Patterns)
            .WithSummary("De-identified weekly use pattern per episode after detox (positive, negative, missing, mixed), CTN-0094 shape");
    }

    private const string WeekDefinition = "Weeks after detox (week 1 = days 0-6 from the day detox ended), ended weeks only: missing without " +
        "a collected urine screen, mixed when collected screens disagree, positive when any is positive for a non-prescribed opioid (as " +
        "relapse tracking judged it, following the medication received when it was collected), else negative.";

    internal static Task<IResult> Survival(string? clinic, string? medication, string? from, string? to, string? definitions,
        string? format, HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct) =>
        OnCohort(new(clinic, medication, from, to, definitions, format), request, session, cells, clock, UsePatterns.Survival, r => r.AtRisk,
            "Kaplan-Meier estimate of staying free of relapse after detox completion under each definition, in weeks. " +
            WeekDefinition + " An episode relapses at the first week of the first window holding the definition " +
            "(CTNote's time); without one it is censored at the last week a complete window was judged; an episode " +
            "too short for one window is left out.", "relapse-definitions-survival", ct);

    internal static Task<IResult> Comparison(string? clinic, string? medication, string? from, string? to, string? definitions,
        string? format, HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct) =>
        OnCohort(new(clinic, medication, from, to, definitions, format), request, session, cells, clock, UsePatterns.Comparison, r => r.Evaluable,
            "The same cohort of completed detox episodes under each definition: episodes, evaluable (long enough for one " +
            "window, or relapsed), events, their share of the evaluable, the Kaplan-Meier median in weeks and the relapse-free " +
            "estimate at 4, 12 and 26 weeks. " + WeekDefinition, "relapse-definitions-comparison", ct);

    private sealed record DefinitionFilters(string? Clinic, string? Medication, string? From, string? To, string? Definitions, string? Format);

    /// <summary>A statistic of the chosen definitions on the filtered cohort: parsed, computed, small cells suppressed, written.</summary>
    private static async Task<IResult> OnCohort<TRow>(DefinitionFilters query, HttpRequest request, IQuerySession session, SmallCellRule cells,
        TimeProvider clock, Func<IReadOnlyList<RelapseDefinition>, DefinitionTimes, IReadOnlyList<TRow>> compute,
        Func<TRow, int> patients, string definition, string name, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = OutcomeQueries.Parse(errors, query.Clinic, query.Medication, query.From, query.To, query.Format, request);
        var chosen = Definitions(errors, query.Definitions);
        if (errors.Any) return Problems.From(errors.ToError());
        var asOf = OutcomeQueries.Today(clock);
        // Each definition's times folded over the completed episodes' screens as they are read (no episode object per row).
        var (rows, smallCells) = cells.Apply(compute(chosen, await CohortAggregates.DefinitionTimes(session, filter, chosen, asOf, ct)), patients);
        return TableExport.Write(table, rows, new { asOf, filter, definitions = chosen, smallCells, definition, rows }, name);
    }

    internal static async Task<IResult> Patterns(string? clinic, string? medication, string? from, string? to, string? format,
        HttpRequest request, IQuerySession session, Pseudonyms pseudonyms, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = OutcomeQueries.Parse(errors, clinic, medication, from, to, format, request);
        if (errors.Any) return Problems.From(errors.ToError());
        // The cohort rows of the patients the filter may select, every started episode of theirs (for the episodes' order).
        var patients = (await EpisodeCohorts.ReadPatients(session, filter, ct))
            .GroupBy(c => c.PatientId)
            .Select(p => new PatientOutcomes { Id = p.Key, Episodes = p.Select(c => c.ToEpisode()).ToList() });
        var asOf = OutcomeQueries.Today(clock);
        var rows = UsePatterns.Rows(patients, filter, pseudonyms, asOf);
        return TableExport.Write(table, rows, new
        {
            asOf, filter,
            definition = WeekDefinition + " One row per episode (who = pseudonym-episode) and week; symbol is CTNote's (+ - o *), so " +
                         "pasting a subject's symbols in week order gives its usePatternUDS word.",
            rows,
        }, "use-patterns");
    }

    /// <summary>"a,b" names published definitions; absent, all of them.</summary>
    private static IReadOnlyList<RelapseDefinition> Definitions(FieldErrors errors, string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return RelapseDefinitions.All;
        var chosen = new List<RelapseDefinition>();
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (RelapseDefinitions.Named(name) is { } d) { if (!chosen.Contains(d)) chosen.Add(d); }
            else errors.Add("definitions", $"'{name}' is not a published definition; they are {string.Join(", ", RelapseDefinitions.All.Select(x => x.Name))}");
        }
        return chosen;
    }
}
