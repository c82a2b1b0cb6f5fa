using System.Globalization;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.Analytics;

/// <summary>
/// Outcome statistics across the network for analysts: aggregates over de-identified episodes, never a patient id, a
/// pseudonym or a date finer than the filters the analyst chose. Filters: clinic, medication, from/to (the day detox started).
/// </summary>
public static class OutcomeQueries
{
    public static readonly IReadOnlyList<string> Medications = ["methadone", "buprenorphine", "extended-release-naltrexone"];
    public static readonly IReadOnlyList<string> Groupings = ["medication", "clinic"];

    internal static async Task<IResult> Retention(string? clinic, string? medication, string? from, string? to, string? format,
        HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = Parse(errors, clinic, medication, from, to, format, request);
        if (errors.Any) return Problems.From(errors.ToError());
        var asOf = Today(clock);
        // Counted in the database from each stay's cohort summary: no contacts are read, no episode leaves PostgreSQL.
        var (counted, smallCells) = cells.Apply(await CohortAggregates.Retention(session, filter, asOf, ct), r => r.Patients);
        var rows = counted.Select(c => c.Row).ToList();
        return TableExport.Write(table, rows, new
        {
            asOf, filter, smallCells, gapDays = OutcomeStatistics.GapDays,
            definition = "Continuous treatment runs from the first dose through the patient's contacts until a gap of more than " +
                         $"{OutcomeStatistics.GapDays} days or the dropout; retained at N days = stayed at least N days; shares are of " +
                         "evaluable episodes (retained, or ended before N days); day quartiles are of ended stays.",
            rows,
        }, "retention");
    }

    internal static async Task<IResult> RelapseSurvival(string? clinic, string? medication, string? from, string? to, string? by,
        string? format, HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = Parse(errors, clinic, medication, from, to, format, request);
        if (by is not null && !Groupings.Contains(by)) errors.Add("by", $"must be one of {string.Join(", ", Groupings)}");
        if (errors.Any) return Problems.From(errors.ToError());
        var asOf = Today(clock);
        var (rows, smallCells) = cells.Apply(await CohortAggregates.RelapseSurvival(session, filter, by, asOf, ct), r => r.AtRisk);
        return TableExport.Write(table, rows, new
        {
            asOf, filter, smallCells,
            definition = "Kaplan-Meier estimate of staying free of relapse, in days after detox completion. Episodes without a " +
                         "relapse are censored at their last observation (or return to treatment); on a day with both, relapses " +
                         "are counted before censorings.",
            rows,
        }, "relapse-survival");
    }

    internal static async Task<IResult> InductionWithdrawal(string? clinic, string? medication, string? from, string? to, string? format,
        HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = Parse(errors, clinic, medication, from, to, format, request);
        if (errors.Any) return Problems.From(errors.ToError());
        var (rows, smallCells) = cells.Apply(await CohortAggregates.InductionWithdrawal(session, filter, ct), r => r.Patients);
        return TableExport.Write(table, rows, new
        {
            asOf = Today(clock), filter, smallCells,
            definition = "COWS totals by whole hours since the first dose (rounded down; -1 is the hour before it), from " +
                         $"{OutcomeStatistics.InductionHoursBefore} h before to {OutcomeStatistics.InductionHoursAfter} h after; " +
                         "one score per patient and hour (the last); quartiles by linear interpolation (type 7).",
            rows,
        }, "induction-withdrawal");
    }

    internal static async Task<IResult> ScreenPositivity(string? clinic, string? medication, string? from, string? to, string? format,
        HttpRequest request, IQuerySession session, SmallCellRule cells, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (filter, table) = Parse(errors, clinic, medication, from, to, format, request);
        if (errors.Any) return Problems.From(errors.ToError());
        var (counted, smallCells) = cells.Apply(await CohortAggregates.ScreenPositivity(session, filter, ct), r => r.Patients);
        var rows = counted.Select(c => c.Row).ToList();
        return TableExport.Write(table, rows, new
        {
            asOf = Today(clock), filter, smallCells,
            definition = "Urine screens after detox completion by week since completion (week 0 = days 0-6); the positive share is " +
                         "of collected screens positive for a non-prescribed opioid.",
            rows,
        }, "screen-positivity");
    }

    internal static (CohortFilter Filter, TableFormat Table) Parse(FieldErrors errors, string? clinic, string? medication, string? from,
        string? to, string? format, HttpRequest request)
    {
        if (clinic is not null && !Clinic.IsValidId(clinic)) errors.Add("clinic", "must be a clinic id (2-63 lower-case letters, digits or hyphens)");
        if (medication is not null && !Medications.Contains(medication)) errors.Add("medication", $"must be one of {string.Join(", ", Medications)}");
        var start = Day(errors, "from", from);
        var end = Day(errors, "to", to);
        if (start > end) errors.Add("from", "must not be after to");
        var table = TableExport.FormatOf(errors, format, request.Headers.Accept);
        return (new CohortFilter(clinic, medication, start, end), table);
    }

    private static DateOnly? Day(FieldErrors errors, string field, string? value)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(field, "must be a date (yyyy-MM-dd)");
        return null;
    }

    internal static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
