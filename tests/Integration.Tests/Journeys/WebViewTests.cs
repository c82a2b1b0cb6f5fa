extern alias timeline;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Integration.Tests;

/// <summary>
/// The Timeline's web view in a real headless Chromium (tests/WebView/check-pages.mjs): a journey with a relapse and a
/// return at another clinic, seen by that clinic under the patient's consent, and the network's outcomes as an analyst.
/// </summary>
[Collection(PlatformCollection.Name)]
public class WebViewTests(Platform platform)
{
    [Fact]
    public async Task The_journey_and_outcomes_pages_show_the_patients_events_and_the_curves_in_a_real_browser()
    {
        var root = Repository.Root;

        var home = "webview-" + Guid.NewGuid().ToString("N")[..8];
        var other = "webview-" + Guid.NewGuid().ToString("N")[..8];
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(home));
        await CareJourneyTests.DetoxCompletedLongAgo(platform, patient, home, completedDaysAgo: 30);
        await CareJourneyTests.PositiveWeeklyScreens(platform, patient, home, weeks: 4, startedDaysAgo: 30);
        // Back in treatment at another clinic, which sees the first clinic's records under the patient's consent.
        var second = platform.ClinicClient(other);
        Assert.Equal(HttpStatusCode.Created, (await second.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient))).StatusCode);
        await CareJourneyTests.Ok(second.Post($"/patients/{patient}/assessments", new { }), HttpStatusCode.Created);
        await CareJourneyTests.Ok(Platform.ClinicClient(platform.Timeline, home)
            .Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment" }), HttpStatusCode.Created);
        var timeline = await platform.TimelineWhen(patient, other, t => Kinds(t).Contains("returned-to-treatment") && Kinds(t).Contains("relapse-detected"),
            TimeSpan.FromSeconds(60));
        Assert.True(timeline is not null && Kinds(timeline).Contains("returned-to-treatment"), timeline?.ToJsonString() ?? "no timeline");
        await SurvivalRows(home);

        // The browser needs a real port; the fixture's hosts are in-memory. This host shares their store and bus.
        await using var web = new ServiceHost<timeline::Program>(new Dictionary<string, string?>(Platform.AnyCellSize) { ["Forwarder:Enabled"] = "false" });
        web.UseKestrel(0);
        web.StartServer();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        var artifacts = Path.Combine(root, ".artifacts", "screenshots");
        Directory.CreateDirectory(artifacts);
        foreach (var page in new[] { "journey.png", "outcomes.png" }) File.Delete(Path.Combine(artifacts, page));
        var (exit, output) = await BrowserScript.Run("check-pages.mjs", [address, Platform.Token(other), Platform.Token(null, Roles.Analyst), patient.ToString(),
            artifacts, $"clinic={home}", Platform.Token(other, Roles.Counselor)], TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, $"check-pages.mjs exited {exit}:\n{output}");
        Assert.True(File.Exists(Path.Combine(artifacts, "journey.png")), "no journey screenshot");
        Assert.True(File.Exists(Path.Combine(artifacts, "outcomes.png")), "no outcomes screenshot");
    }

    [Fact]
    public async Task The_pages_load_without_a_token_and_the_data_still_needs_one()
    {
        var anonymous = platform.Timeline.CreateClient();
        foreach (var page in new[] { "/journey.html", "/outcomes.html", "/app.js", "/charts.js", "/style.css" })
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(page)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/patients/{Guid.NewGuid()}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/analytics/retention")).StatusCode);
    }

    /// <summary>Waits until the outcome read model (an async projection) holds the clinic's detox completion.</summary>
    private async Task SurvivalRows(string clinic)
    {
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        await Eventually.Until(async () => (await (await analyst.GetAsync($"/analytics/relapse-survival?clinic={clinic}")).Json())["rows"]!.AsArray(),
            rows => rows.Count > 0, TimeSpan.FromSeconds(60), condition: $"relapse-survival rows for {clinic}");
    }

    private static List<string> Kinds(JsonNode timeline) =>
        timeline["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();

}
