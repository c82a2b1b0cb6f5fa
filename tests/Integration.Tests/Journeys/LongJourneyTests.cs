using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Contracts.Corrections.V1;
using Dose = Recovery.Contracts.Detox.V1.DoseGiven;

namespace Recovery.Integration.Tests;

/// <summary>
/// A long journey is stored one entry per fact: read a page at a time (newest first, by cursor, within a clinical-time range),
/// and a correction marks the one entry it names.
/// </summary>
[Collection(PlatformCollection.Name)]
public class LongJourneyTests(Platform platform)
{
    private const string Clinic = "clinic-north";

    [Fact]
    public async Task A_timeline_is_read_a_page_at_a_time_newest_first()
    {
        var (patient, doses) = await Journey(12);
        var client = Platform.ClinicClient(platform.Timeline, Clinic);
        var whole = await platform.TimelineWhen(patient, Clinic, t => t["entryCount"]!.GetValue<int>() >= 12);
        Assert.Null(whole["nextCursor"]); // a plain read is the whole timeline, as before paging
        Assert.Equal(doses, Ids(whole));

        // Pages of 5 by cursor: 5, 5, 2, newest first, every entry once.
        var seen = new List<Guid>();
        string? cursor = null;
        var sizes = new List<int>();
        do
        {
            var page = await (await client.GetAsync($"/patients/{patient}/timeline?pageSize=5{(cursor is null ? "" : $"&cursor={cursor}")}")).Json();
            Assert.Equal(12, page["totalEntries"]!.GetValue<int>());
            sizes.Add(page["entryCount"]!.GetValue<int>());
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            Assert.Equal(Ids(page), page["episodes"]!.AsArray().SelectMany(e => Ids(e!)).ToList());
            Assert.Equal("Episode 1", page["episodes"]![0]!["label"]!.GetValue<string>().Split(" · ")[0]);
        } while (cursor is not null && sizes.Count < 5);
        Assert.Equal([5, 5, 2], sizes);
        Assert.Equal(doses.AsEnumerable().Reverse(), seen);

        // A clinical-time range, both ends included: days 3 to 6 of the journey.
        var from = Uri.EscapeDataString(Day(3).ToString("O"));
        var to = Uri.EscapeDataString(Day(6).ToString("O"));
        var ranged = await (await client.GetAsync($"/patients/{patient}/timeline?from={from}&to={to}")).Json();
        Assert.Equal(doses[3..7].AsEnumerable().Reverse(), Ids(ranged));
        Assert.Null(ranged["nextCursor"]);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=MTIzNDU", "cursor")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-02&to=2026-11-01", "from")]
    public async Task A_bad_page_request_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var (patient, _) = await Journey(1);
        await platform.TimelineWhen(patient, Clinic, t => t["entryCount"]!.GetValue<int>() >= 1);
        var reply = await Platform.ClinicClient(platform.Timeline, Clinic).GetAsync($"/patients/{patient}/timeline?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal("application/problem+json", reply.Content.Headers.ContentType?.MediaType);
        var problem = await reply.Json();
        Assert.Equal("request-invalid", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task The_largest_and_smallest_pages_are_accepted()
    {
        var (patient, doses) = await Journey(2);
        await platform.TimelineWhen(patient, Clinic, t => t["entryCount"]!.GetValue<int>() >= 2);
        var client = Platform.ClinicClient(platform.Timeline, Clinic);
        var one = await (await client.GetAsync($"/patients/{patient}/timeline?pageSize=1")).Json();
        Assert.Equal([doses[1]], Ids(one));
        var most = await (await client.GetAsync($"/patients/{patient}/timeline?pageSize=500")).Json();
        Assert.Equal([doses[1], doses[0]], Ids(most));
    }

    [Fact]
    public async Task A_correction_marks_the_one_entry_it_names()
    {
        var (patient, doses) = await Journey(3);
        await platform.TimelineWhen(patient, Clinic, t => t["entryCount"]!.GetValue<int>() >= 3);
        var bus = platform.Assessment.Services.GetRequiredService<IBus>();
        var correction = Guid.NewGuid();
        var error = new FactEnteredInError(patient, Clinic, patient, DateTimeOffset.UtcNow, doses[1], "dose-given");
        await bus.Publish(error, c => c.MessageId = correction);
        await bus.Publish(error, c => c.MessageId = correction); // redelivered: changes nothing

        var timeline = await platform.TimelineWhen(patient, Clinic, t => t["entries"]![1]!["correction"] is JsonObject);
        Assert.Equal(3, timeline["entryCount"]!.GetValue<int>());
        Assert.Equal("entered-in-error", timeline["entries"]![1]!["correction"]!["kind"]!.GetValue<string>());
        Assert.Null(timeline["entries"]![0]!["correction"]);
        Assert.Null(timeline["entries"]![2]!["correction"]);
        // In the store: three entries, one of them marked; the correction is no entry of its own.
        Assert.Equal(3, await Platform.Count("select count(*) from timeline.mt_doc_storedentry where patient_id = @p", ("p", patient)));
        Assert.Equal(1, await Platform.Count(
            "select count(*) from timeline.mt_doc_storedentry where patient_id = @p and jsonb_typeof(data->'entry'->'correction') = 'object'",
            ("p", patient)));
    }

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int day) => Start.AddDays(day);

    /// <summary>A patient's daily doses over <paramref name="days"/> days, published at once out of order; their message ids by day.</summary>
    private async Task<(Guid Patient, List<Guid> Doses)> Journey(int days)
    {
        var bus = platform.Assessment.Services.GetRequiredService<IBus>();
        var patient = Guid.NewGuid();
        var doses = Enumerable.Range(0, days).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(Enumerable.Range(0, days).Reverse().Select(day => bus.Publish(
            new Dose(patient, Clinic, patient, Day(day), patient, "methadone", 30, Day(day), "nurse@clinic-north", day == 0, false),
            c => c.MessageId = doses[day])));
        return (patient, doses);
    }

    private static List<Guid> Ids(JsonNode view) => view["entries"]!.AsArray().Select(e => e!["eventId"]!.GetValue<Guid>()).ToList();
}
