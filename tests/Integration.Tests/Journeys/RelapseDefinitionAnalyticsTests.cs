using System.Net;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Http;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests;

/// <summary>Relapse under the field's definitions, from the network record's screens, for analysts over HTTP (JSON and CSV).</summary>
[Collection(PlatformCollection.Name)]
public class RelapseDefinitionAnalyticsTests(Platform platform)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task The_definitions_are_compared_on_one_cohort_and_the_weekly_pattern_exports_for_ctnote()
    {
        var clinic = "definitions-" + Guid.NewGuid().ToString("N")[..10];
        var relapsing = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        var abstinent = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        // Both completed detox 40 days ago: weeks 1-5 after it have ended (days 0-34), week 6 is in progress.
        await DetoxCompletedLongAgo(platform, relapsing, clinic, completedDaysAgo: 40);
        await DetoxCompletedLongAgo(platform, abstinent, clinic, completedDaysAgo: 40);
        // The first: fentanyl-positive weeks 1-4, nothing in week 5: ++++o. The second: negative weeks 1-5: -----.
        await PositiveWeeklyScreens(platform, relapsing, clinic, weeks: 4, startedDaysAgo: 40);
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        for (var week = 0; week < 5; week++)
        {
            var screened = await Eventually.Learned(() => relapse.Post($"/patients/{abstinent}/urine-screens", new
            {
                collectedOn = Today.AddDays(-40 + 7 * week + 1), results = new Dictionary<string, string> { ["opiates"] = "negative", ["fentanyl"] = "negative" },
            }), "patient-not-monitored");
            Assert.True(screened.IsSuccessStatusCode, await screened.Content.ReadAsStringAsync());
        }

        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        // CTN-0094 relapse: ++++o relapses at week 1; ----- is censored at week 2 (5 weeks - 4 + 1). Lee 2016 the same way.
        var comparison = await Until(analyst, $"/analytics/relapse-definitions/comparison?clinic={clinic}",
            body => Row(body, "ctn-0094-relapse@1") is { } r && r["evaluable"]!.GetValue<int>() == 2 && r["events"]!.GetValue<int>() == 1);
        Assert.Equal(7, comparison["rows"]!.AsArray().Count);
        Assert.Equal((2, 0), (Row(comparison, "lee-2016@1")!["evaluable"]!.GetValue<int>(), Row(comparison, "ctn-0094-dropout@1")!["events"]!.GetValue<int>()));
        Assert.Contains(comparison["definitions"]!.AsArray(), d => d!["reference"]!.GetValue<string>().StartsWith("Lee et al., NEJM 2016"));

        var survival = await Until(analyst, $"/analytics/relapse-definitions/survival?clinic={clinic}&definitions=ctn-0094-relapse@1", _ => true);
        Assert.Equal(["1:2:1:0:0.5", "2:1:0:1:0.5"], survival["rows"]!.AsArray().Select(r =>
            $"{r!["week"]}:{r["atRisk"]}:{r["events"]}:{r["censored"]}:{r["survival"]}"));

        // The comparison can hold before the abstinent patient's last screens reach the network record: wait for the export.
        var lines = await Eventually.Until(async () =>
            {
                var csv = await analyst.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/analytics/use-patterns?clinic={clinic}&format=csv"));
                Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
                return (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            },
            rows => Words(rows).SequenceEqual(["++++o", "-----"]), describe: rows => string.Join(" ", Words(rows)));
        Assert.Equal("who,pseudonym,episode,clinic,medication,detoxOutcome,week,result,symbol", lines[0]);
        Assert.Equal(["++++o", "-----"], Words(lines));
        Assert.DoesNotContain(relapsing.ToString(), string.Join('\n', lines));

        var bad = await analyst.GetAsync($"/analytics/relapse-definitions/survival?definitions=three-strikes@1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("definitions", await bad.Content.ReadAsStringAsync());
    }

    private static JsonNode? Row(JsonNode body, string definition) =>
        body["rows"]!.AsArray().FirstOrDefault(r => r!["definition"]!.GetValue<string>() == definition);

    /// <summary>Polls an analytics endpoint until <paramref name="done"/> holds (the outcome read model follows the store); fails with the last answer.</summary>
    private static async Task<JsonNode> Until(HttpClient analyst, string url, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await analyst.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
            var body = JsonNode.Parse(text)!;
            if (done(body)) return body;
            Assert.True(DateTime.UtcNow < deadline, $"{url} did not reach the expected rows; last answer: {text}");
            await Task.Delay(100);
        }
    }

    /// <summary>Each patient's weekly symbols in week order, from the CSV's rows.</summary>
    private static List<string> Words(string[] lines) => lines.Skip(1).Select(l => l.Split(',')).GroupBy(c => c[0])
        .Select(g => string.Concat(g.OrderBy(c => int.Parse(c[6])).Select(c => c[8]))).Order().ToList();
}
