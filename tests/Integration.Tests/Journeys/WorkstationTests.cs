extern alias assessment;
extern alias counseling;
extern alias detox;
extern alias relapse;
extern alias timeline;
extern alias workstation;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Recovery.Integration.Tests;

/// <summary>
/// The clinic workstation behind one origin: the gateway (services/Workstation) in front of the five services on real
/// ports, its session and routes over HTTP, and one whole journey driven through its pages in a real headless Chromium
/// (tests/WebView/workstation-journey.mjs).
/// </summary>
[Collection(PlatformCollection.Name)]
public class WorkstationTests(Platform platform)
{
    [Fact]
    public async Task A_whole_journey_is_done_through_the_workstation_pages_only()
    {
        var root = Repository.Root;
        await using var origin = OneOrigin.Start();

        var home = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var second = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var artifacts = Path.Combine(root, ".artifacts", "screenshots");
        Directory.CreateDirectory(artifacts);
        foreach (var old in Directory.GetFiles(artifacts, "workstation-*.png")) File.Delete(old);
        var (exit, output) = await BrowserScript.Run("workstation-journey.mjs", [origin.Address, artifacts, home, second,
            Platform.Token(home, user: "verifier"), Platform.Token(second, user: "verifier")], TimeSpan.FromMinutes(4));

        Assert.True(exit == 0, $"workstation-journey.mjs exited {exit}:\n{output}");
        Assert.True(Directory.GetFiles(artifacts, "workstation-*.png").Length >= 12, "fewer screenshots than screens");
    }

    [Fact]
    public async Task The_gateway_keeps_the_token_in_an_http_only_cookie_and_routes_each_service_under_one_origin()
    {
        await using var origin = OneOrigin.Start();
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = new Uri(origin.Address) };

        // Signed out: the pages load, the session says so, and a call through the gateway carries no token.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/signin.html")).StatusCode);
        await Problem(await browser.GetAsync("/session"), HttpStatusCode.Unauthorized, "signed-out");
        await Problem(await browser.GetAsync("/api/assessment/patients/" + Guid.NewGuid()), HttpStatusCode.Unauthorized, "token-required");

        // A bad choice names its field; nothing is signed in.
        var refused = await browser.PostAsJsonAsync("/session", new { clinic = "Clinic Porto!", user = "", role = "surgeon" });
        var problem = await Problem(refused, HttpStatusCode.BadRequest, "request-invalid");
        Assert.Equal(["clinic", "role", "user"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        var clinic = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var signedIn = await browser.PostAsJsonAsync("/session", new { clinic, user = "dr-ana", role = "clinician" });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", (await signedIn.Content.ReadAsStringAsync()).ToLowerInvariant());
        var session = (await (await browser.GetAsync("/session")).Json());
        Assert.Equal(clinic, session["clinic"]!.GetValue<string>());
        Assert.Equal("dr-ana", session["user"]!.GetValue<string>());

        // The cookie becomes the bearer token: a patient registered through the gateway is the clinic's, recorded by the user.
        var registered = await browser.PostAsJsonAsync("/api/assessment/patients", Requests.Patient(Requests.NewRecordNumber()));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var patientId = (await registered.Json())["patientId"]!.GetValue<Guid>();
        var direct = Platform.ClinicClient(platform.Assessment, clinic);
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync($"/patients/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Platform.ClinicClient(platform.Assessment, "ws-other").GetAsync($"/patients/{patientId}")).StatusCode);
        // A refusal passes through as the service's problem.
        await Problem(await browser.PostAsJsonAsync("/api/assessment/patients", new { givenName = "Maria" }), HttpStatusCode.BadRequest, "request-invalid");

        // Every service answers under its prefix, with its OpenAPI document.
        foreach (var service in new[] { "assessment", "detox", "counseling", "relapse", "timeline" })
        {
            var document = await browser.GetAsync($"/api/{service}/openapi/v1.json");
            Assert.True(document.StatusCode == HttpStatusCode.OK, $"{service}: {document.StatusCode}");
            Assert.NotNull((await document.Json())["paths"]);
        }
        await Problem(await browser.GetAsync("/api/pharmacy/orders"), HttpStatusCode.NotFound, "route-not-found");

        // Signing out clears the session.
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/session")).StatusCode);
        await Problem(await browser.GetAsync("/session"), HttpStatusCode.Unauthorized, "signed-out");
    }

    [Fact]
    public async Task Without_the_development_setting_there_is_no_sign_in_and_a_service_that_is_down_is_a_problem_not_an_empty_502()
    {
        await using var gateway = new ServiceHost<workstation::Program>(new Dictionary<string, string?>
        {
            ["Services:Assessment"] = "http://127.0.0.1:9", ["Services:Detox"] = "http://127.0.0.1:9", ["Services:Counseling"] = "http://127.0.0.1:9",
            ["Services:Relapse"] = "http://127.0.0.1:9", ["Services:Timeline"] = "http://127.0.0.1:9",
        });
        var client = gateway.CreateClient();
        Assert.False((await (await client.GetAsync("/session/sign-in")).Json())["developmentSignIn"]!.GetValue<bool>());
        await Problem(await client.PostAsJsonAsync("/session", new { clinic = "clinic-porto", user = "dr-ana", role = "clinician" }),
            HttpStatusCode.NotFound, "development-sign-in-off");
        await Problem(await client.GetAsync("/api/detox/induction-protocol"), HttpStatusCode.BadGateway, "service-unavailable");
    }

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(rule, problem["rule"]?.GetValue<string>());
        return problem;
    }

}

/// <summary>
/// The five services on real ports (a browser and a reverse proxy need them; the fixture's hosts are in-memory) and the
/// gateway in front of them with the development sign-in on. These hosts share the fixture's store and bus; their
/// forwarders stay off, as the fixture's hosts publish what they record.
/// </summary>
internal sealed class OneOrigin : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> hosts = [];
    public string Address { get; private set; } = "";

    public static OneOrigin Start()
    {
        var origin = new OneOrigin();
        var off = new Dictionary<string, string?> { ["Forwarder:Enabled"] = "false" };
        var services = new Dictionary<string, string?> { ["Workstation:DevelopmentSignIn"] = "true" };
        services["Services:Assessment"] = origin.Serve(new ServiceHost<assessment::Program>(off));
        services["Services:Detox"] = origin.Serve(new ServiceHost<detox::Program>(off));
        services["Services:Counseling"] = origin.Serve(new ServiceHost<counseling::Program>(off));
        services["Services:Relapse"] = origin.Serve(new ServiceHost<relapse::Program>(off));
        // Any cell size: the outcomes page is checked on this test's few patients.
        services["Services:Timeline"] = origin.Serve(new ServiceHost<timeline::Program>(new Dictionary<string, string?>(off).Concat(Platform.AnyCellSize)
            .ToDictionary()));
        origin.Address = origin.Serve(new ServiceHost<workstation::Program>(services));
        return origin;
    }

    private string Serve<T>(ServiceHost<T> host) where T : class
    {
        hosts.Add(host);
        host.UseKestrel(0);
        host.StartServer();
        return host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(hosts)) await host.DisposeAsync();
    }
}
