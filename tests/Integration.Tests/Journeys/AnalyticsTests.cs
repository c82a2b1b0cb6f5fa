extern alias timeline;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Http;
using Xunit.Abstractions;

namespace Recovery.Integration.Tests;

/// <summary>
/// Outcome analytics over journeys told through the care services' HTTP APIs, and rebuilding the timeline's read models.
/// Each run uses a clinic of its own, so the shared database's other journeys do not change the numbers checked here.
/// </summary>
[Collection(PlatformCollection.Name)]
public class AnalyticsTests(Platform platform, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Fact]
    public async Task Outcomes_per_clinic_and_medication_answer_from_the_journeys_in_json_csv_and_ndjson_without_patient_ids()
    {
        var (clinic, patients) = await TwoJourneys();
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        var responses = new List<string>();

        // Relapse survival: the buprenorphine patient relapsed, the methadone patient is censored at the last observation.
        var survival = await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}", RelapseFolded, responses);
        var buprenorphine = survival.Single(r => Text(r, "groupBy") == "medication" && Text(r, "group") == "buprenorphine");
        Assert.Equal((1, 1, 0, 0.0), (Int(buprenorphine, "atRisk"), Int(buprenorphine, "relapses"), Int(buprenorphine, "censored"), Number(buprenorphine, "survival")));
        var methadone = survival.Single(r => Text(r, "groupBy") == "medication" && Text(r, "group") == "methadone");
        Assert.Equal((1, 0, 1, 1.0), (Int(methadone, "atRisk"), Int(methadone, "relapses"), Int(methadone, "censored"), Number(methadone, "survival")));
        var byClinic = survival.Where(r => Text(r, "groupBy") == "clinic").ToList();
        Assert.All(byClinic, r => Assert.Equal(clinic, Text(r, "group")));
        Assert.Equal(2, Int(byClinic[0], "atRisk"));

        // Retention: both started detox 48 days ago. Buprenorphine: screens through 18 days ago keep it in treatment (ongoing),
        // 30 days so far. Methadone: last seen at its screen 37 days ago, more than 30 days: ended after 11 days.
        // The read model is asynchronous: wait until it has folded the methadone patient's last screen too.
        var retention = await Rows(analyst, $"/analytics/retention?clinic={clinic}", MethadoneStayFolded, responses);
        var period = Today.AddDays(-48).ToString("yyyy-MM");
        var onBuprenorphine = retention.Single(r => Text(r, "medication") == "buprenorphine");
        Assert.Equal((period, 1, 1, 1, 0), (Text(onBuprenorphine, "startPeriod"), Int(onBuprenorphine, "ongoing"), Int(onBuprenorphine, "retained30"),
            Int(onBuprenorphine, "evaluable30"), Int(onBuprenorphine, "evaluable90")));
        var onMethadone = retention.Single(r => Text(r, "medication") == "methadone");
        Assert.Equal((0, 1, 0, 11.0), (Int(onMethadone, "ongoing"), Int(onMethadone, "evaluable30"), Int(onMethadone, "retained30"),
            Number(onMethadone, "daysMedian")));

        // COWS: 19 twenty minutes before the first buprenorphine dose (hour -1), 17 two hours after it; 21 before methadone.
        var withdrawal = await Rows(analyst, $"/analytics/induction-withdrawal?clinic={clinic}", rows => rows.Count == 3, responses);
        Assert.Equal([("buprenorphine", -1, 19.0), ("buprenorphine", 2, 17.0), ("methadone", -1, 21.0)],
            withdrawal.Select(r => (Text(r, "medication"), Int(r, "hour"), Number(r, "median"))));

        // Screens: four weekly positive ones after buprenorphine (weeks 0-3), one negative after methadone (week 0).
        var screens = await Rows(analyst, $"/analytics/screen-positivity?clinic={clinic}", rows => rows.Count == 5, responses);
        Assert.Equal([("buprenorphine", 0, 1.0), ("buprenorphine", 1, 1.0), ("buprenorphine", 2, 1.0), ("buprenorphine", 3, 1.0), ("methadone", 0, 0.0)],
            screens.Select(r => (Text(r, "medication"), Int(r, "week"), Number(r, "positiveShare"))));

        // Filters: a medication, and a period that ends before these detoxes started.
        var methadoneOnly = await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}&medication=methadone", _ => true, responses);
        Assert.Equal([("medication", "methadone"), ("clinic", clinic)], methadoneOnly.Select(r => (Text(r, "groupBy"), Text(r, "group"))));
        Assert.Single(await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}&by=medication&medication=methadone", _ => true, responses));
        var before = Today.AddDays(-49).ToString("yyyy-MM-dd");
        Assert.Empty(await Rows(analyst, $"/analytics/retention?clinic={clinic}&to={before}", _ => true, responses));
        Assert.Equal(2, (await Rows(analyst, $"/analytics/retention?clinic={clinic}&from={before}&to={Today:yyyy-MM-dd}", _ => true, responses)).Count);

        // CSV by query or by Accept, NDJSON by Accept: the same rows for bulk use.
        var csv = await analyst.GetAsync($"/analytics/screen-positivity?clinic={clinic}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("medication,week,collected,positive,notCollected,positiveShare,episodes", lines[0]);
        Assert.Equal(["buprenorphine,0,1,1,0,1,1", "buprenorphine,1,1,1,0,1,1", "buprenorphine,2,1,1,0,1,1", "buprenorphine,3,1,1,0,1,1", "methadone,0,1,0,0,0,1"],
            lines[1..]);
        var accepted = new HttpRequestMessage(HttpMethod.Get, $"/analytics/retention?clinic={clinic}");
        accepted.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var retentionCsv = await analyst.SendAsync(accepted);
        Assert.Equal("text/csv", retentionCsv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, (await retentionCsv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        responses.Add(string.Join('\n', lines));

        var bulk = new HttpRequestMessage(HttpMethod.Get, $"/analytics/relapse-survival?clinic={clinic}");
        bulk.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        var ndjson = await analyst.SendAsync(bulk);
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType!.MediaType);
        var text = await ndjson.Content.ReadAsStringAsync();
        responses.Add(text);
        var objects = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4, objects.Count);
        Assert.All(objects, o => Assert.Equal(clinic == Text(o, "group") ? "clinic" : "medication", Text(o, "groupBy")));

        // Aggregates only: no patient id, no pseudonym, no exact time.
        foreach (var response in responses)
        {
            foreach (var patient in patients)
            {
                Assert.DoesNotContain(patient.ToString(), response);
                Assert.DoesNotContain(Pseudonym(patient), response);
            }
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", response);
        }
    }

    [Fact]
    public async Task Bad_filters_are_refused_naming_each_field_and_only_analysts_may_ask()
    {
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        foreach (var path in new[] { "retention", "relapse-survival", "induction-withdrawal", "screen-positivity" })
        {
            var response = await analyst.GetAsync($"/analytics/{path}?clinic=North!&medication=heroin&from=2026-13-01&to=yesterday&format=xml");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var errors = (await response.Json())["errors"]!.AsObject();
            Assert.Equal(["clinic", "format", "from", "medication", "to"], errors.Select(e => e.Key).Order());

            var reversed = await analyst.GetAsync($"/analytics/{path}?from=2026-05-01&to=2026-04-01");
            Assert.Equal(["from"], (await reversed.Json())["errors"]!.AsObject().Select(e => e.Key));
        }
        var by = await analyst.GetAsync("/analytics/relapse-survival?by=patient");
        Assert.Equal(["by"], (await by.Json())["errors"]!.AsObject().Select(e => e.Key));

        var clinician = Platform.ClinicClient(platform.Timeline, "clinic-north");
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync("/analytics/retention")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsync("/admin/projections/patient-outcomes/rebuild", null)).StatusCode);
    }

    [Fact]
    public async Task Rebuilding_the_read_models_from_the_store_reports_progress_and_leaves_the_same_answers()
    {
        var (clinic, patients) = await TwoJourneys();
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        var admin = Platform.ClinicClient(platform.Timeline, null, Roles.Admin);
        // The read model is asynchronous: take the "before" answers once it has folded every fact of both journeys.
        await Rows(analyst, $"/analytics/screen-positivity?clinic={clinic}", rows => rows.Count == 5, []);
        var retentionBefore = await Rows(analyst, $"/analytics/retention?clinic={clinic}", MethadoneStayFolded, []);
        var survivalBefore = await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}", RelapseFolded, []);
        var timelineBefore = await platform.TimelineWhen(patients[0], clinic, t => t["entries"]!.AsArray().Any(e => Text(e!, "kind") == "relapse-detected"));
        Assert.NotNull(timelineBefore);

        foreach (var projection in new[] { "patient-outcomes", "patient-timeline", "consent" })
        {
            var started = await admin.PostAsync($"/admin/projections/{projection}/rebuild", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            Assert.Equal($"/admin/projections/{projection}/rebuild", started.Headers.Location!.OriginalString);
            // The service keeps answering while the rebuild runs.
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/analytics/retention?clinic={clinic}")).StatusCode);

            var status = await Done(admin, projection);
            output.WriteLine($"{projection}: {status.ToJsonString()}");
            Assert.True(Text(status, "state") == "done", status.ToJsonString());
            Assert.Equal(1.0, Number(status, "progress"));
            Assert.True(Number(status, "eventsPerSecond") > 0, status.ToJsonString());
            var (events, inStore) = (status["events"]!.GetValue<long>(), status["eventsInStore"]!.GetValue<long>());
            Assert.True(events <= inStore && (projection == "consent" || events >= 40), status.ToJsonString());
        }

        // The same answers from the rebuilt read models.
        Assert.Equal(Json(survivalBefore), Json(await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}", rows => rows.Count == 4, [])));
        Assert.Equal(Json(retentionBefore), Json(await Rows(analyst, $"/analytics/retention?clinic={clinic}", rows => rows.Count == 2, [])));
        var timelineAfter = await platform.TimelineWhen(patients[0], clinic, _ => true);
        Assert.Equal(timelineBefore["entries"]!.ToJsonString(), timelineAfter!["entries"]!.ToJsonString());

        // Recording resumed after the inline rebuilds: a new fact still reaches the timeline and the outcomes.
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        var screened = await relapse.Post($"/patients/{patients[1]}/urine-screens", new
        {
            collectedOn = Today.AddDays(-30), results = new Dictionary<string, string> { ["opiates"] = "positive" },
        });
        Assert.True(screened.IsSuccessStatusCode, await screened.Content.ReadAsStringAsync());
        var screens = await Rows(analyst, $"/analytics/screen-positivity?clinic={clinic}&medication=methadone", rows => rows.Count == 2, []);
        Assert.Equal([(0, 0.0), (1, 1.0)], screens.Select(r => (Int(r, "week"), Number(r, "positiveShare"))));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/projections/no-such-thing/rebuild", null)).StatusCode);
    }

    [Fact]
    public async Task At_the_default_minimum_no_statistic_from_fewer_than_eleven_patients_reaches_an_analyst()
    {
        var (clinic, _) = await TwoJourneys();
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        // Every outcome endpoint has rows for the two patients once their journeys are folded (the shared Timeline shows any cell).
        string[] endpoints = ["retention", "relapse-survival", "induction-withdrawal", "screen-positivity", "relapse-definitions/comparison",
            "relapse-definitions/survival"];
        var shown = new Dictionary<string, int>
        {
            ["retention"] = (await Rows(analyst, $"/analytics/retention?clinic={clinic}", MethadoneStayFolded, [])).Count,
            ["relapse-survival"] = (await Rows(analyst, $"/analytics/relapse-survival?clinic={clinic}", RelapseFolded, [])).Count,
            ["induction-withdrawal"] = (await Rows(analyst, $"/analytics/induction-withdrawal?clinic={clinic}", r => r.Count == 3, [])).Count,
            ["screen-positivity"] = (await Rows(analyst, $"/analytics/screen-positivity?clinic={clinic}", r => r.Count == 5, [])).Count,
        };
        foreach (var definitions in endpoints[4..])
            shown[definitions] = (await Rows(analyst, $"/analytics/{definitions}?clinic={clinic}", r => r.Count > 0, [])).Count;

        // A Timeline at the default minimum answers the same questions with every row suppressed, and says how many.
        await using var standard = new ServiceHost<timeline::Program>(new Dictionary<string, string?> { ["Forwarder:Enabled"] = "false" });
        var strict = Platform.ClinicClient(standard, null, Roles.Analyst);
        foreach (var endpoint in endpoints)
        {
            var body = await CareJourneyTests.Ok(strict.GetAsync($"/analytics/{endpoint}?clinic={clinic}"));
            var (minimum, suppressed) = (body["smallCells"]!["minimumPatients"]!.GetValue<int>(), body["smallCells"]!["suppressedCells"]!.GetValue<int>());
            var released = body["rows"]!.AsArray();
            Assert.True(minimum == 11 && suppressed > 0 && suppressed + released.Count == shown[endpoint],
                $"{endpoint}: minimum {minimum}, {suppressed} suppressed, {released.Count} released of {shown[endpoint]}");
            // What is left counts nobody (a definition that could judge no episode): zeros say nothing about anyone.
            Assert.All(released, row => Assert.Equal(0, row![PatientsColumn[endpoint]]!.GetValue<int>()));
        }
        // Nor does a table export carry the cells.
        var csv = await (await strict.GetAsync($"/analytics/retention?clinic={clinic}&format=csv")).Content.ReadAsStringAsync();
        Assert.Single(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)); // the header alone
    }

    /// <summary>Which column of each endpoint's rows counts the patients the row is computed from.</summary>
    private static readonly Dictionary<string, string> PatientsColumn = new()
    {
        ["retention"] = "episodes", ["relapse-survival"] = "atRisk", ["induction-withdrawal"] = "patients", ["screen-positivity"] = "episodes",
        ["relapse-definitions/comparison"] = "evaluable", ["relapse-definitions/survival"] = "atRisk",
    };

    /// <summary>
    /// At a new clinic: a buprenorphine detox and a methadone detox, both started 48 days ago and completed 40 days ago; four
    /// weekly fentanyl-positive screens make the first a relapse, one negative screen 37 days ago is all of the second's follow-up.
    /// </summary>
    private async Task<(string Clinic, Guid[] Patients)> TwoJourneys()
    {
        var clinic = "analytics-" + Guid.NewGuid().ToString("N")[..10];
        var first = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        var second = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        await Detox(first, clinic, "buprenorphine", 8, Requests.CowsItems(restlessness: 3), afterFirstDose: Requests.CowsItems(restlessness: 1));
        await Detox(second, clinic, "methadone", 20, Requests.CowsItems(restlessness: 5), afterFirstDose: null);
        for (var week = 0; week < 4; week++)
            await Screen(first, clinic, Today.AddDays(-39 + 7 * week), new() { ["opiates"] = "negative", ["fentanyl"] = "positive", ["buprenorphine"] = "positive" });
        await Screen(second, clinic, Today.AddDays(-37), new() { ["opiates"] = "negative", ["fentanyl"] = "negative" });
        return (clinic, [first, second]);
    }

    private async Task Detox(Guid patient, string clinic, string medication, decimal firstDoseMg, Dictionary<string, int> beforeFirstDose,
        Dictionary<string, int>? afterFirstDose)
    {
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var approver = Platform.SecondClinician(platform.Detox, clinic);
        var start = Now.AddDays(-48);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication, draftedAt = start.AddDays(-2),
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = firstDoseMg }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
        }), "assessment-not-completed");
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var at = $"/detox-plans/{(await drafted.Json())["planId"]}";
        await Ok(approver.Post($"{at}/approval", new { approvedAt = start.AddDays(-1) }));
        await Ok(detox.Post($"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }));
        await Ok(detox.Post($"{at}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = beforeFirstDose }));
        await Ok(detox.Post($"{at}/doses", new { medication, doseMg = firstDoseMg, givenAt = start }));
        if (afterFirstDose is not null)
            await Ok(detox.Post($"{at}/withdrawal-checks", new { scoredAt = start.AddHours(2), items = afterFirstDose }));
        await Ok(detox.Post($"{at}/completion", new { completedOn = Today.AddDays(-40) }));
    }

    private async Task Screen(Guid patient, string clinic, DateOnly collectedOn, Dictionary<string, string> results)
    {
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        var screened = await Eventually.Learned(() => relapse.Post($"/patients/{patient}/urine-screens", new { collectedOn, results }),
            "patient-not-monitored");
        Assert.True(screened.IsSuccessStatusCode, await screened.Content.ReadAsStringAsync());
    }

    /// <summary>Both medications and the clinic there, and the buprenorphine patient's relapse folded in.</summary>
    private static bool RelapseFolded(List<JsonObject> rows) => rows.Count == 4 &&
        rows.Any(r => Text(r, "groupBy") == "medication" && Text(r, "group") == "buprenorphine" && Int(r, "relapses") == 1);

    /// <summary>Both cohorts there, and the methadone stay ended after its 11 days (its last contact folded in).</summary>
    private static bool MethadoneStayFolded(List<JsonObject> rows) => rows.Count == 2 &&
        rows.Any(r => Text(r, "medication") == "methadone" && r["daysMedian"] is JsonValue days && days.GetValue<double>() == 11.0);

    /// <summary>Polls an analytics endpoint until its rows are as expected (the outcome read model follows the store within moments).</summary>
    private static async Task<List<JsonObject>> Rows(HttpClient analyst, string url, Func<List<JsonObject>, bool> done, List<string> responses,
        [CallerArgumentExpression(nameof(done))] string condition = "")
    {
        var answer = await Eventually.Until(async () =>
        {
            var reply = await Reply.Of(analyst.GetAsync(url));
            Assert.True(reply.IsOk, $"{url}: {reply}");
            return reply;
        }, reply => done(RowsOf(reply)), TimeSpan.FromSeconds(60), condition: $"{url} to answer rows that satisfy {condition}");
        responses.Add(answer.Body);
        return RowsOf(answer);
    }

    private static List<JsonObject> RowsOf(Reply reply) => reply.Json()["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private static Task<JsonNode> Done(HttpClient admin, string projection) =>
        Eventually.Until(async () => await (await admin.GetAsync($"/admin/projections/{projection}/rebuild")).Json(),
            status => Text(status, "state") is "done" or "failed", TimeSpan.FromMinutes(5), condition: $"the {projection} rebuild to end");

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();
    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();
    private static double Number(JsonNode node, string name) => node[name]!.GetValue<double>();
    private static string Json(List<JsonObject> rows) => string.Join('\n', rows.Select(r => r.ToJsonString()));

    private static string Pseudonym(Guid patientId) =>
        new timeline::Recovery.Timeline.Analytics.Pseudonyms(Convert.FromBase64String(TestSecrets.Settings["Privacy:PseudonymKey"]!)).Of(patientId);
}
