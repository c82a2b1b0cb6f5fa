using Recovery.Clinical;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

/// <summary>
/// The field's relapse definitions (CTN-0094 harmonisation, encoded as in CTNote), each on a hand-built sequence of weekly
/// screens that holds it exactly and one that misses it by one week. Patterns are written as CTNote writes them:
/// + positive, - negative, o missing (no screen collected), * mixed (a positive and a negative screen in the week).
/// </summary>
public class PublishedDefinitionsTests
{
    /// <summary>A monitoring with one week per symbol of <paramref name="word"/>, judged once all its weeks have ended.</summary>
    private static RelapseEvaluation Judge(string rule, string word) =>
        RelapseRules.Evaluate(rule, Fold([Started(), .. Screens(word)]), Week(word.Length + 1), new RelapseProtocol());

    private static IEnumerable<object> Screens(string word) => word.SelectMany((symbol, i) => symbol switch
    {
        '+' => [Positive(Week(i + 1).AddDays(1))],
        '-' => [Negative(Week(i + 1).AddDays(1))],
        '*' => [Positive(Week(i + 1).AddDays(1)), Negative(Week(i + 1).AddDays(3))],
        _ => Array.Empty<object>(), // o: no screen collected that week
    });

    private static void Relapsed(string rule, string word, int week)
    {
        var result = Judge(rule, word);
        Assert.True(result.Relapsed, $"{rule} on {word}");
        Assert.Equal(Week(week), result.RelapsedOn);
    }

    private static void NotRelapsed(string rule, string word) => Assert.False(Judge(rule, word).Relapsed, $"{rule} on {word}");

    [Fact]
    public void The_monitorings_weeks_read_as_the_pattern_word() =>
        Assert.Equal("+-o*", RelapseDefinitions.Word(RelapseRules.WeeksOf(Fold([Started(), .. Screens("+-o*")]), Week(5), new RelapseProtocol()).Take(4)
            .Select(w => w.Use!.Value)));

    [Fact]
    public void Ctn0094_relapse_is_4_consecutive_positive_weeks_missing_and_mixed_counting_positive()
    {
        // ---+++- : weeks 4-6 are 3 positives, one short of 4.
        NotRelapsed(RelapseDefinitions.Ctn0094Relapse.Name, "---+++-");
        // ---+o*+ : weeks 4-7 = + o * + = 4 positives once o and * are recoded +; relapse from week 4.
        Relapsed(RelapseDefinitions.Ctn0094Relapse.Name, "---+o*+", 4);
    }

    [Fact]
    public void Ctn0094_dropout_is_4_consecutive_missing_weeks_and_nothing_else_counts()
    {
        // -ooo+ooo : two runs of 3 missing weeks; a positive is not missing.
        NotRelapsed(RelapseDefinitions.Ctn0094Dropout.Name, "-ooo+ooo");
        // ++++ : 4 positives are not a dropout.
        NotRelapsed(RelapseDefinitions.Ctn0094Dropout.Name, "++++");
        // -+oooo : weeks 3-6 missing; dropout from week 3.
        Relapsed(RelapseDefinitions.Ctn0094Dropout.Name, "-+oooo", 3);
    }

    [Fact]
    public void Johnson_1992_is_2_consecutive_positives_from_week_4()
    {
        // ++-+- : weeks 1-2 are before week 4; week 4 alone is one positive.
        NotRelapsed(RelapseDefinitions.Johnson1992.Name, "++-+-");
        // --++- : weeks 3-4, but the pair must start at week 4 or later.
        NotRelapsed(RelapseDefinitions.Johnson1992.Name, "--++-");
        // ---++ : weeks 4-5; failure from week 4.
        Relapsed(RelapseDefinitions.Johnson1992.Name, "---++", 4);
    }

    [Fact]
    public void Krupitsky_2004_is_3_consecutive_positives()
    {
        // ++-++ : two runs of 2.
        NotRelapsed(RelapseDefinitions.Krupitsky2004.Name, "++-++");
        // -+o+ : weeks 2-4 = + o + = 3 with missing as positive; relapse from week 2.
        Relapsed(RelapseDefinitions.Krupitsky2004.Name, "-+o+", 2);
    }

    [Fact]
    public void Lee_2016_is_2_positive_weeks_in_any_4_week_window()
    {
        // +---+ : weeks 1 and 5 are 5 weeks apart; every 4-week window holds 1 (10 use days in 28 needs 2 x 5 days).
        NotRelapsed(RelapseDefinitions.Lee2016.Name, "+---+");
        // -+--+ : window weeks 2-5 holds 2 positives (weeks 2 and 5); relapse dated the window's first week, 2 (CTNote's time).
        Relapsed(RelapseDefinitions.Lee2016.Name, "-+--+", 2);
    }

    [Fact]
    public void Lee_2018_is_4_consecutive_positives_from_week_3()
    {
        // ++++--- : 4 positives, but in weeks 1-4; from week 3 only 2 remain.
        NotRelapsed(RelapseDefinitions.Lee2018.Name, "++++---");
        // -++++- : weeks 2-5; from week 3 only weeks 3-5, 3 positives.
        NotRelapsed(RelapseDefinitions.Lee2018.Name, "-++++-");
        // --++++ : weeks 3-6; relapse from week 3.
        Relapsed(RelapseDefinitions.Lee2018.Name, "--++++", 3);
    }

    [Fact]
    public void Schottenfeld_2008_is_3_consecutive_positives()
    {
        // ++-++- : never 3 in a row.
        NotRelapsed(RelapseDefinitions.Schottenfeld2008.Name, "++-++-");
        // -*++ : weeks 2-4 = * + + = 3 with mixed as positive; relapse from week 2.
        Relapsed(RelapseDefinitions.Schottenfeld2008.Name, "-*++", 2);
    }

    [Theory]
    // CTNote's own examples (vignette "Relapse Outcomes", participants 233, 2089, 163, 4): pattern, definition, CTNote time or 0.
    [InlineData("*+++++++++++o++++++++++o", "ctn-0094-relapse@1", 1)]
    [InlineData("++++---+--------------o-", "ctn-0094-relapse@1", 1)]
    [InlineData("-o---o---o--o+----------", "lee-2016@1", 10)]
    [InlineData("-o---o---o--o+----------", "ctn-0094-relapse@1", 0)]
    [InlineData("-------------------o-o-o", "ctn-0094-dropout@1", 0)]
    [InlineData("------------o-oooooooooo", "ctn-0094-dropout@1", 15)]
    [InlineData("++++---+--------------o-", "lee-2018-ctn-0051@1", 0)]
    public void The_definitions_find_what_ctnote_finds_on_its_examples(string word, string definition, int week)
    {
        var found = RelapseDefinitions.Named(definition)!.Detect(RelapseDefinitions.Read(word));
        Assert.Equal(week == 0 ? new PatternDetection(false, null) : new PatternDetection(true, week), found);
    }

    [Fact]
    public void A_pattern_without_the_event_is_censored_where_its_last_complete_window_begins()
    {
        // 10 weeks, windows of 4: the last complete window begins at week 7 (CTNote's time of a pattern without an event).
        Assert.Equal(7, RelapseDefinitions.Ctn0094Relapse.CensoredAt(10));
        // Lee 2018 starts at week 3: 5 weeks hold no complete window from week 3.
        Assert.Null(RelapseDefinitions.Lee2018.CensoredAt(5));
        Assert.Equal(3, RelapseDefinitions.Lee2018.CensoredAt(6));
    }

    [Fact]
    public void Every_definition_is_named_versioned_cited_and_choosable()
    {
        Assert.Equal(7, RelapseDefinitions.All.Count);
        Assert.Equal(RelapseDefinitions.All.Count, RelapseDefinitions.All.Select(d => d.Name).Distinct().Count());
        Assert.All(RelapseDefinitions.All, d =>
        {
            Assert.Matches("^[a-z0-9-]+@[0-9]+$", d.Name);
            Assert.False(string.IsNullOrWhiteSpace(d.Reference + d.Definition + d.Source));
            Assert.Contains(d.Name, RelapseRules.Known);
        });
    }

    [Fact]
    public void A_positive_in_a_week_in_progress_counts_at_once_a_missing_week_only_once_it_ended()
    {
        // Weeks 1-2 positive, week 3 positive on its first day, judged that day: Krupitsky's 3 in a row is already there.
        var monitoring = Fold([Started(), .. Screens("++"), Positive(Week(3))]);
        Assert.True(RelapseRules.Evaluate(RelapseDefinitions.Krupitsky2004.Name, monitoring, Week(3), new RelapseProtocol()).Relapsed);
        // Weeks 1-2 positive and week 3 still open without a screen: not yet.
        Assert.False(RelapseRules.Evaluate(RelapseDefinitions.Krupitsky2004.Name, Fold([Started(), .. Screens("++")]), Week(3).AddDays(6),
            new RelapseProtocol()).Relapsed);
    }

    [Fact]
    public void The_evidence_names_the_weeks_of_the_window()
    {
        var result = Judge(RelapseDefinitions.Lee2016.Name, "-+--+");
        Assert.Equal("weeks 2-5: positive (fentanyl), negative, negative, positive (fentanyl)", result.Evidence);
        Assert.Equal(RelapseDefinitions.Lee2016.Name, result.Rule);
    }
}
