using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>Bad input on every endpoint of Detox planning, Counseling and Relapse tracking: problem details, nothing written.</summary>
[Collection(PlatformCollection.Name)]
public class CareBadInputTests(Platform platform)
{
    // A clinic of each test's own, so events that consumers append for other tests' patients never move the counts.
    private readonly string _clinic = Requests.NewClinicId();
    private static readonly string Somebody = Guid.NewGuid().ToString();
    private static readonly string Yesterday = $"{Requests.Today.AddDays(-1):yyyy-MM-dd}";

    public static TheoryData<string, string, string> EndpointsTakingABody => new()
    {
        { "detox", "POST", "/detox-plans" },
        { "detox", "POST", $"/detox-plans/{Somebody}/approval" },
        { "detox", "POST", $"/detox-plans/{Somebody}/last-opioid-use" },
        { "detox", "POST", $"/detox-plans/{Somebody}/induction-urine-screens" },
        { "detox", "POST", $"/detox-plans/{Somebody}/withdrawal-checks" },
        { "detox", "POST", $"/detox-plans/{Somebody}/doses" },
        { "detox", "POST", $"/detox-plans/{Somebody}/missed-doses" },
        { "detox", "POST", $"/detox-plans/{Somebody}/medication-switch" },
        { "detox", "POST", $"/detox-plans/{Somebody}/completion" },
        { "detox", "POST", $"/detox-plans/{Somebody}/dropout" },
        { "counseling", "POST", "/counseling-sessions" },
        { "counseling", "POST", $"/counseling-sessions/{Somebody}/attendance" },
        { "counseling", "POST", $"/counseling-sessions/{Somebody}/cancellation" },
        { "counseling", "POST", "/help-groups" },
        { "counseling", "POST", $"/help-groups/{Somebody}/enrolments" },
        { "counseling", "POST", $"/help-groups/{Somebody}/meetings/{Yesterday}/attendance" },
        { "counseling", "POST", $"/help-groups/{Somebody}/meetings/{Yesterday}/absence" },
        { "counseling", "POST", $"/help-groups/{Somebody}/withdrawals" },
        { "relapse", "POST", $"/patients/{Somebody}/urine-screens" },
        { "relapse", "POST", $"/patients/{Somebody}/reported-use" },
        { "relapse", "PUT", "/relapse-rule" },
    };

    [Theory]
    [MemberData(nameof(EndpointsTakingABody))]
    public async Task Malformed_json_is_400_and_writes_nothing(string service, string method, string path)
    {
        var problem = await Refused(service, method, path, "{\"patientId\": ", HttpStatusCode.BadRequest);
        Assert.Equal("malformed-json", problem["rule"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(EndpointsTakingABody))]
    public async Task A_wrongly_typed_field_is_400_naming_it(string service, string method, string path)
    {
        var problem = await Refused(service, method, path, "{\"patientId\": 42}", HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]);
    }

    [Theory]
    [InlineData("detox", "/detox-plans")]
    [InlineData("counseling", "/counseling-sessions")]
    [InlineData("relapse", "/monitorings/reviews")]
    public async Task No_token_is_401(string service, string path)
    {
        var response = await Client(service, clinic: null).PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("token-required", (await response.Json())["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_records_are_404_and_write_nothing()
    {
        await Refused("detox", "POST", $"/detox-plans/{Guid.NewGuid()}/missed-doses", $"{{\"missedOn\":\"{Yesterday}\"}}", HttpStatusCode.NotFound);
        await Refused("counseling", "POST", $"/counseling-sessions/{Guid.NewGuid()}/no-show", "", HttpStatusCode.NotFound);
        var problem = await Refused("counseling", "POST", "/counseling-sessions",
            $"{{\"patientId\":\"{Guid.NewGuid()}\",\"scheduledFor\":\"{Yesterday}T10:00:00Z\",\"counselorId\":\"counselor-1\"}}", HttpStatusCode.NotFound);
        Assert.Equal("patient-not-registered", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Broken_rules_are_422_naming_the_rule_and_write_nothing()
    {
        var problem = await Refused("detox", "POST", "/detox-plans",
            $"{{\"patientId\":\"{Guid.NewGuid()}\",\"medication\":\"methadone\",\"schedule\":[{{\"phase\":\"induction\",\"days\":3,\"dailyDoseMg\":30}}]}}",
            (HttpStatusCode)422);
        Assert.Equal("assessment-not-completed", problem["rule"]!.GetValue<string>());

        problem = await Refused("relapse", "POST", $"/patients/{Guid.NewGuid()}/urine-screens",
            $"{{\"collectedOn\":\"{Yesterday}\",\"results\":{{\"opiates\":\"negative\"}}}}", (HttpStatusCode)422);
        Assert.Equal("patient-not-monitored", problem["rule"]!.GetValue<string>());

        problem = await Refused("relapse", "PUT", "/relapse-rule", "{\"rule\":\"three-strikes@1\"}", (HttpStatusCode)422);
        Assert.Equal("unknown-relapse-rule", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Induction_rules_refuse_on_a_real_plan_and_write_nothing()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(_clinic));
        var detox = Platform.ClinicClient(platform.Detox, _clinic);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "buprenorphine",
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m } },
        }), "assessment-not-completed");
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var at = $"/detox-plans/{(await drafted.Json())["planId"]}";
        string Dose() => $"{{\"medication\":\"buprenorphine\",\"doseMg\":8,\"givenAt\":\"{DateTimeOffset.UtcNow:O}\"}}";

        Assert.Equal("plan-not-approved", (await Refused("detox", "POST", $"{at}/doses", Dose(), (HttpStatusCode)422))["rule"]!.GetValue<string>());
        Assert.Equal("second-clinician-required",
            (await Refused("detox", "POST", $"{at}/approval", "{}", (HttpStatusCode)422))["rule"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Platform.SecondClinician(platform.Detox, _clinic).Post($"{at}/approval", new { })).StatusCode);

        var items = Requests.CowsItems();
        items["restlessness"] = 2; // restlessness is scored 0, 1, 3 or 5
        var offScale = await Refused("detox", "POST", $"{at}/withdrawal-checks",
            System.Text.Json.JsonSerializer.Serialize(new { items }, Platform.Json), (HttpStatusCode)422);
        Assert.Equal("cows-item-off-scale", offScale["rule"]!.GetValue<string>());
        // No withdrawal check and no last use recorded: buprenorphine may not be started.
        var refused = await Refused("detox", "POST", $"{at}/doses", Dose(), (HttpStatusCode)422);
        Assert.Contains(refused["rule"]!.GetValue<string>(), new[] { "last-opioid-use-required", "buprenorphine-cows-required" });
    }

    private async Task<JsonNode> Refused(string service, string method, string path, string body, HttpStatusCode status)
    {
        var before = await EventsAt(service);
        var client = Client(service, _clinic);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await EventsAt(service));
        return JsonNode.Parse(text)!;
    }

    private Task<long> EventsAt(string service) =>
        Platform.Count($"select count(*) from {service}.mt_events where tenant_id = @clinic", ("clinic", _clinic));

    private HttpClient Client(string service, string? clinic)
    {
        var client = service switch
        {
            "detox" => platform.Detox.CreateClient(),
            "counseling" => platform.Counseling.CreateClient(),
            "relapse" => platform.Relapse.CreateClient(),
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
        if (clinic is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Platform.Token(clinic));
        return client;
    }
}
