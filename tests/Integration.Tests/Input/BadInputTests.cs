using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>Each kind of bad input gets problem details naming the field and the rule, and writes nothing.</summary>
[Collection(PlatformCollection.Name)]
public class BadInputTests(Platform platform)
{
    private static Task<long> AssessmentEvents() => Platform.Count("select count(*) from assessment.mt_events");

    private async Task<JsonNode> Refused(Func<Task<HttpResponseMessage>> call, HttpStatusCode status)
    {
        var before = await AssessmentEvents();
        var response = await call();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await AssessmentEvents());
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Malformed_json_is_400_naming_where_it_broke()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var problem = await Refused(() => clinic.PostAsync("/patients",
            new StringContent("{\"clinicRecordNumber\": \"MRN-x\", \"dateOfBirth\": \"not a date\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.Equal("malformed-json", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["dateOfBirth"]);

        problem = await Refused(() => clinic.PostAsync("/patients", new StringContent("{\"clinicRecordNumber\": ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.Equal("malformed-json", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_field_is_400_naming_the_field()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var problem = await Refused(() => clinic.Post("/patients", new { clinicRecordNumber = Requests.NewRecordNumber(), familyName = "X", sex = "male" }),
            HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["givenName"]);
        Assert.NotNull(problem["errors"]!["dateOfBirth"]);
    }

    [Fact]
    public async Task An_unknown_field_is_400_rather_than_silently_ignored()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var body = new { clinicRecordNumber = Requests.NewRecordNumber(), givenName = "A", familyName = "B", dateOfBirth = "1990-01-01", sex = "male", nickname = "x" };
        var problem = await Refused(() => clinic.Post("/patients", body), HttpStatusCode.BadRequest);
        Assert.Equal("malformed-json", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var body = new { clinicRecordNumber = Requests.NewRecordNumber(), givenName = new string('a', 300 * 1024), familyName = "B", dateOfBirth = "1990-01-01", sex = "male" };
        var problem = await Refused(() => clinic.Post("/patients", body), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body-too-large", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_patient_or_assessment_is_404()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var problem = await Refused(() => clinic.Post($"/patients/{Guid.NewGuid()}/assessments", new { }), HttpStatusCode.NotFound);
        Assert.Equal("patient-not-registered", problem["rule"]!.GetValue<string>());

        problem = await Refused(() => clinic.Post($"/assessments/{Guid.NewGuid()}/criteria", Requests.Criteria("craving")), HttpStatusCode.NotFound);
        Assert.Equal("assessment-not-found", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_id_that_is_not_a_guid_is_400()
    {
        var clinic = platform.ClinicClient("clinic-north");
        await Refused(() => clinic.Post("/assessments/not-a-guid/criteria", Requests.Criteria("craving")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cows_item_off_its_scale_is_422_naming_the_item_and_nothing_is_recorded()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var assessment = await StartAssessment(clinic);

        var problem = await Refused(() => clinic.Post($"{assessment}/withdrawal-scores", Requests.Cows(restlessness: 2)),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("cows-item-off-scale", problem["rule"]!.GetValue<string>());
        Assert.Contains("0, 1, 3, 5", problem["errors"]!["items.restlessness"]![0]!.GetValue<string>());

        var state = await (await clinic.GetAsync(assessment)).Json();
        Assert.Empty(state["withdrawalScores"]!.AsArray());
    }

    [Fact]
    public async Task Another_clinics_assessment_is_not_found_and_stays_unchanged()
    {
        var north = platform.ClinicClient("clinic-north");
        var south = platform.ClinicClient("clinic-south");
        var assessment = await StartAssessment(north);

        await Refused(() => south.GetAsync(assessment), HttpStatusCode.NotFound);
        await Refused(() => south.Post($"{assessment}/criteria", Requests.Criteria("craving", "tolerance")), HttpStatusCode.NotFound);

        var state = await (await north.GetAsync(assessment)).Json();
        Assert.Null(state["criteria"]);
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_and_a_token_without_a_valid_clinic_403()
    {
        var anonymous = platform.Assessment.CreateClient();
        var problem = await Refused(() => anonymous.Post("/patients", Requests.Patient(Requests.NewRecordNumber())), HttpStatusCode.Unauthorized);
        Assert.Equal("token-required", problem["rule"]!.GetValue<string>());

        var odd = platform.ClinicClient("Clinic North; drop table");
        problem = await Refused(() => odd.Post("/patients", Requests.Patient(Requests.NewRecordNumber())), HttpStatusCode.Forbidden);
        Assert.Equal("clinic-claim-required", problem["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Completing_too_early_is_422_listing_what_is_missing()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var assessment = await StartAssessment(clinic);
        (await clinic.Post($"{assessment}/lab-results", Requests.Lab("hiv", "negative"))).EnsureSuccessStatusCode();

        var problem = await Refused(() => clinic.Post($"{assessment}/completion", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("assessment-incomplete", problem["rule"]!.GetValue<string>());
        Assert.Equal(["criteria", "lab:hepatitis-b", "lab:hepatitis-c", "cardiovascular"],
            problem["values"]!["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    private static async Task<string> StartAssessment(HttpClient clinic)
    {
        var registered = await (await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber()))).Json();
        var started = await clinic.Post($"/patients/{registered["patientId"]}/assessments", new { });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return $"/assessments/{(await started.Json())["assessmentId"]}";
    }
}
