namespace Recovery.Clinical;

/// <summary>
/// One week of a patient's use pattern, in the CTN-0094 harmonised coding (Brandt et al., Addiction 2024,
/// doi 10.1111/add.16494; the CTNote R library's "substance use pattern word"): positive "+", negative "-", missing "o" (no
/// urine screen collected that week), mixed "*" (the week's screens disagree).
/// </summary>
public enum UseWeek
{
    Positive,
    Negative,
    Missing,
    Mixed,
}

/// <summary>CTNote's numeric class of an endpoint: a time to the event (survival), or whether it happened at all (logical).</summary>
public enum DefinitionOutcome
{
    TimeToEvent,
    Binary,
}

/// <summary>
/// Where a definition found its event: <paramref name="Week"/> is the 1-based week of the pattern where the first window
/// holding it begins (CTNote detect_in_window's "time"); null when it found none in the weeks given.
/// </summary>
public sealed record PatternDetection(bool Event, int? Week);

/// <summary>
/// A relapse (or related outcome) definition over weekly use patterns, named and versioned so a result always says which
/// definition produced it; a changed definition is a new version, never an edit. Every one here is "at least
/// <see cref="Threshold"/> weeks that count, within <see cref="Window"/> consecutive weeks, in a window starting at week
/// <see cref="FromWeek"/> or later". Weeks that count: positive, with missing and mixed recoded as positive (CTNote
/// recode_missing_visits), or, with <see cref="MatchesMissingOnly"/>, only missing weeks (the dropout outcome).
/// </summary>
public sealed record RelapseDefinition(
    string Name,
    string Reference,
    string Definition,
    string MissingIs,
    DefinitionOutcome Outcome,
    int Window,
    int Threshold,
    int FromWeek,
    bool MatchesMissingOnly,
    string Source)
{
    /// <summary>Whether week <paramref name="week"/> counts toward this definition.</summary>
    public bool Counts(UseWeek week) => MatchesMissingOnly ? week == UseWeek.Missing : week != UseWeek.Negative;

    /// <summary>
    /// The first window (from <see cref="FromWeek"/>) holding at least <see cref="Threshold"/> weeks that count. A window may
    /// run past the weeks known so far: its known weeks already count, and later weeks can only add to them. Whenever the
    /// pattern is at least <see cref="Window"/> weeks long this finds the same week as CTNote's detect_in_window and
    /// detect_subpattern; on a shorter pattern CTNote answers NA, this the event if the known weeks already hold it.
    /// </summary>
    public PatternDetection Detect(IReadOnlyList<UseWeek> weeks)
    {
        for (var start = FromWeek; start <= weeks.Count; start++)
        {
            var counted = 0;
            for (var w = start; w < start + Window && w <= weeks.Count; w++)
                if (Counts(weeks[w - 1])) counted++;
            if (counted >= Threshold) return new PatternDetection(true, start);
        }
        return new PatternDetection(false, null);
    }

    /// <summary>
    /// The last week through which a pattern of <paramref name="weeks"/> weeks was fully judged without an event (CTNote's time
    /// of a pattern without one: the number of complete windows, counted from <see cref="FromWeek"/>); null when not one window
    /// is complete, so the pattern says nothing yet.
    /// </summary>
    public int? CensoredAt(int weeks) => weeks - Window + 1 >= FromWeek ? weeks - Window + 1 : null;
}

/// <summary>
/// The relapse definitions the field uses, side by side (CTN-0094 harmonisation: Brandt et al., Addiction 2024; encoded as
/// in the CTNote library's vignette "CTNote Library: Relapse Outcomes", github.com/CTN-0094/CTNote, and its definitions
/// table). Weekly urine screens as a pattern; missing counts as positive unless stated.
/// </summary>
public static class RelapseDefinitions
{
    /// <summary>CTNote: detect_in_window(window_width = 4, threshold = 4) on the pattern with "o" and "*" recoded "+".</summary>
    public static readonly RelapseDefinition Ctn0094Relapse = new("ctn-0094-relapse@1", "CTN-0094 (Brandt et al. 2024)",
        "Weeks to relapse: 4 consecutive weeks of positive urine screens", "positive", DefinitionOutcome.TimeToEvent,
        Window: 4, Threshold: 4, FromWeek: 1, MatchesMissingOnly: false, "CTNote vignette library_relapse: ctn0094_relapse");

    /// <summary>CTNote: detect_in_window(window_width = 4, threshold = 4, match_is = "o") on the raw pattern (nothing recoded).</summary>
    public static readonly RelapseDefinition Ctn0094Dropout = new("ctn-0094-dropout@1", "CTN-0094 (Brandt et al. 2024)",
        "Weeks to study dropout: 4 consecutive weeks of missing urine screens", "missing", DefinitionOutcome.TimeToEvent,
        Window: 4, Threshold: 4, FromWeek: 1, MatchesMissingOnly: true, "CTNote vignette library_relapse: ctn0094_dropout");

    /// <summary>CTNote: detect_subpattern(subpattern = "++", start = 4) on the recoded pattern ("starting at 4 weeks of treatment").</summary>
    public static readonly RelapseDefinition Johnson1992 = new("johnson-1992@1", "Johnson, Jaffe & Fudala, JAMA 1992",
        "Failure: 2 consecutive positive urine screens following 4 weeks of treatment", "positive", DefinitionOutcome.Binary,
        Window: 2, Threshold: 2, FromWeek: 4, MatchesMissingOnly: false, "CTNote vignette library_relapse: johnson1992_hasRel");

    /// <summary>CTNote: detect_subpattern(subpattern = "+++") on the recoded pattern; the papers do not say how missing screens count, CTNote counts them positive.</summary>
    public static readonly RelapseDefinition Krupitsky2004 = new("krupitsky-2004@1", "Krupitsky et al., 2004 and 2006",
        "Relapse: 3 consecutive positive urine screens", "positive", DefinitionOutcome.Binary,
        Window: 3, Threshold: 3, FromWeek: 1, MatchesMissingOnly: false, "CTNote vignette library_relapse: krupitsky2004_hasRel");

    /// <summary>
    /// CTNote: detect_in_window(window_width = 4, threshold = 2) on the recoded pattern: at least 10 use days in 28 with a
    /// positive screen taken as 5 use days is at least 2 positive weeks in a 4-week window.
    /// </summary>
    public static readonly RelapseDefinition Lee2016 = new("lee-2016@1", "Lee et al., NEJM 2016",
        "Weeks to relapse: at least 10 days of opioid use in a 28-day period, a positive urine screen counted as 5 days of use",
        "positive", DefinitionOutcome.TimeToEvent, Window: 4, Threshold: 2, FromWeek: 1, MatchesMissingOnly: false,
        "CTNote vignette library_relapse: lee2016_rel");

    /// <summary>CTNote: the recoded pattern from week 3 (str_sub(start = 3)), detect_in_window(4, 4), time + 2.</summary>
    public static readonly RelapseDefinition Lee2018 = new("lee-2018-ctn-0051@1", "Lee et al., Lancet 2018 (CTN-0051 X:BOT)",
        "Weeks to relapse: starting at day 21 after randomisation, 4 consecutive weeks of positive urine screens", "positive",
        DefinitionOutcome.TimeToEvent, Window: 4, Threshold: 4, FromWeek: 3, MatchesMissingOnly: false,
        "CTNote vignette library_relapse: lee2018_rel");

    /// <summary>CTNote: detect_in_window(window_width = 3, threshold = 3) on the recoded pattern (the paper counts days; CTNote weeks).</summary>
    public static readonly RelapseDefinition Schottenfeld2008 = new("schottenfeld-2008@1", "Schottenfeld et al., Lancet 2008",
        "Time to relapse: 3 consecutive positive urine screens", "positive", DefinitionOutcome.TimeToEvent,
        Window: 3, Threshold: 3, FromWeek: 1, MatchesMissingOnly: false, "CTNote vignette library_relapse: schottenfeld2008_rel");

    public static readonly IReadOnlyList<RelapseDefinition> All =
        [Ctn0094Relapse, Ctn0094Dropout, Johnson1992, Krupitsky2004, Lee2016, Lee2018, Schottenfeld2008];

    public static RelapseDefinition? Named(string? name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The CTNote symbol of a week: + - o *.</summary>
    public static char Symbol(UseWeek week) => week switch
    {
        UseWeek.Positive => '+',
        UseWeek.Negative => '-',
        UseWeek.Missing => 'o',
        _ => '*',
    };

    /// <summary>A pattern written as CTNote reads it, e.g. "-++o*".</summary>
    public static string Word(IEnumerable<UseWeek> weeks) => string.Concat(weeks.Select(Symbol));

    /// <summary>Reads a CTNote pattern word (+ - o *), for tests and tools.</summary>
    public static IReadOnlyList<UseWeek> Read(string word) => word.Select(c => c switch
    {
        '+' => UseWeek.Positive,
        '-' => UseWeek.Negative,
        'o' => UseWeek.Missing,
        '*' => UseWeek.Mixed,
        _ => throw new ArgumentException($"'{c}' is not a week of a use pattern (+ - o *).", nameof(word)),
    }).ToList();
}
