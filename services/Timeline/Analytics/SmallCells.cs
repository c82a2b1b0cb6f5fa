namespace Recovery.Timeline.Analytics;

/// <summary>Analytics settings: configuration section "Analytics".</summary>
public sealed class AnalyticsSettings
{
    public const string Section = "Analytics";

    /// <summary>
    /// The fewest patients a statistic the analysts see may be computed from. 11, as the CMS cell-size suppression policy
    /// (counts of 1 to 10 are not released); a network may raise it, never below 1.
    /// </summary>
    public int MinimumCellSize { get; set; } = 11;
}

/// <summary>What an answer says about the cells it left out.</summary>
public sealed record SmallCellNote(int MinimumPatients, int SuppressedCells, string Rule);

/// <summary>Rows as released, and the note on what was suppressed.</summary>
public sealed record Released<TRow>(IReadOnlyList<TRow> Rows, SmallCellNote SmallCells);

/// <summary>
/// The small-cell rule of every analyst answer: a row (a cohort's retention, a survival step, an hour's COWS quartiles, a
/// week's positivity, ...) computed from fewer than the minimum of patients is suppressed whole, counts, shares and
/// quantiles alike, and the answer says how many were. A survival curve so ends where fewer than the minimum remain at risk.
/// </summary>
public sealed class SmallCellRule(int minimum)
{
    public int Minimum { get; } = minimum >= 1 ? minimum
        : throw new InvalidOperationException($"{AnalyticsSettings.Section}:MinimumCellSize must be at least 1.");

    /// <param name="patients">How many patients the row is computed from.</param>
    public Released<TRow> Apply<TRow>(IReadOnlyList<TRow> rows, Func<TRow, int> patients)
    {
        // A zero is released: it says nothing about anyone (CMS suppresses counts of 1 to 10).
        var released = rows.Where(r => patients(r) is 0 || patients(r) >= Minimum).ToList();
        return new Released<TRow>(released, new SmallCellNote(Minimum, rows.Count - released.Count,
            $"Rows computed from 1 to {Minimum - 1} patients are suppressed whole (counts, shares and quantiles)."));
    }
}
