using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

[Collection(PlatformCollection.Name)]
public class AssessmentJourneyTests(Platform platform)
{
    [Fact]
    public async Task A_full_assessment_through_HTTP_ends_on_the_timeline_in_order()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var patientId = await RegisterAndAssess(clinic);

        var timeline = await platform.TimelineWhen(patientId, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 9);
        Assert.NotNull(timeline);
        var entries = timeline["entries"]!.AsArray();
        // In clinical order: the labs were taken yesterday (Requests.Lab), before the patient was registered today.
        Assert.Equal(
            ["lab-result-recorded", "lab-result-recorded", "lab-result-recorded", "patient-registered", "assessment-started",
                "oud-criteria-recorded", "cardiovascular-status-recorded", "withdrawal-scored", "assessment-completed"],
            entries.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("clinic-north", e!["clinicId"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("assessment", e!["service"]!.GetValue<string>()));
        var times = entries.Select(e => e!["effectiveAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(new DateTimeOffset(Requests.Today.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), times[0]);
        Assert.All(entries, e => Assert.Equal(e!["occurredAt"]!.GetValue<DateTimeOffset>(), e["recordedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Contains("severe opioid use disorder", entries[^1]!["summary"]!.GetValue<string>());
        Assert.Contains("COWS 19", entries[7]!["summary"]!.GetValue<string>());
        Assert.StartsWith("Episode 1 · clinic-north · ", timeline["episodes"]!.AsArray().Single(e => e!["number"]!.GetValue<int>() == 1)!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_clinic_record_number_twice_is_409_with_the_existing_patient_id()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var recordNumber = Requests.NewRecordNumber();
        var first = await (await clinic.Post("/patients", Requests.Patient(recordNumber))).Json();

        var again = await clinic.Post("/patients", Requests.Patient(recordNumber));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var problem = await again.Json();
        Assert.Equal(first["patientId"]!.GetValue<Guid>(), problem["values"]!["patientId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Another_clinic_may_register_the_same_record_number_for_its_own_patient()
    {
        var recordNumber = Requests.NewRecordNumber();
        var north = await platform.ClinicClient("clinic-north").Post("/patients", Requests.Patient(recordNumber));
        var south = await platform.ClinicClient("clinic-south").Post("/patients", Requests.Patient(recordNumber));
        Assert.Equal(HttpStatusCode.Created, north.StatusCode);
        Assert.Equal(HttpStatusCode.Created, south.StatusCode);
    }

    [Fact]
    public async Task Both_services_are_ready_with_their_database_and_broker()
    {
        foreach (var client in new[] { platform.Assessment.CreateClient(), platform.Timeline.CreateClient() })
        {
            var ready = await client.GetAsync("/health/ready");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await platform.Assessment.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Simultaneous_facts_on_one_assessment_are_all_recorded_not_refused()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var patient = (await (await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber()))).Json())["patientId"]!.GetValue<Guid>();
        var assessment = (await (await clinic.Post($"/patients/{patient}/assessments", new { })).Json())["assessmentId"]!.GetValue<Guid>();

        // Three writers race for the same stream version: the losers decide again on the new state.
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => clinic.Post($"/assessments/{assessment}/withdrawal-scores", Requests.Cows())));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var view = await (await clinic.GetAsync($"/assessments/{assessment}")).Json();
        Assert.Equal(3, view["withdrawalScores"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_unknown_patient_has_no_timeline()
    {
        var response = await Platform.ClinicClient(platform.Timeline, "clinic-north").GetAsync($"/patients/{Guid.NewGuid()}/timeline");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("patient-not-found", (await response.Json())["rule"]!.GetValue<string>());
    }

    /// <summary>Registers a patient and takes them through a complete assessment; returns the patient id.</summary>
    /// <param name="at">When the patient was taken in, for a journey entered late; now when not given.</param>
    internal static async Task<Guid> RegisterAndAssess(HttpClient clinic, DateTimeOffset? at = null)
    {
        var registered = await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), registeredAt: at));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var patientId = (await registered.Json())["patientId"]!.GetValue<Guid>();
        await Assess(clinic, patientId, at);
        return patientId;
    }

    /// <summary>Runs a registered patient's assessment to completion.</summary>
    internal static async Task Assess(HttpClient clinic, Guid patientId, DateTimeOffset? takenIn = null)
    {
        DateTimeOffset? Then(int minutes) => takenIn?.AddMinutes(minutes);
        var started = await clinic.Post($"/patients/{patientId}/assessments", new { startedAt = Then(10) });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var assessmentId = (await started.Json())["assessmentId"]!.GetValue<Guid>();
        var at = $"/assessments/{assessmentId}";

        await Ok(clinic.Post($"{at}/criteria", new
        {
            criteriaMet = new[] { "craving", "tolerance", "withdrawal", "activities-given-up", "much-time-spent-obtaining-using-recovering",
                "unsuccessful-efforts-to-cut-down", "use-in-hazardous-situations" },
            onlyUnderMedicalSupervision = false, assessedAt = Then(20),
        }));
        var testedOn = takenIn is { } day ? DateOnly.FromDateTime(day.UtcDateTime) : (DateOnly?)null;
        await Ok(clinic.Post($"{at}/lab-results", Requests.Lab("hiv", "negative", testedOn)));
        await Ok(clinic.Post($"{at}/lab-results", Requests.Lab("hepatitis-b", "negative", testedOn)));
        await Ok(clinic.Post($"{at}/lab-results", Requests.Lab("hepatitis-c", "positive", testedOn)));
        await Ok(clinic.Post($"{at}/cardiovascular-status", new
        {
            heartRate = 96, systolicBloodPressure = 132, diastolicBloodPressure = 84, qtcMilliseconds = 441, conclusion = "normal",
            measuredAt = Then(30),
        }));
        var scored = await Ok(clinic.Post($"{at}/withdrawal-scores", new { items = Requests.CowsItems(), scoredAt = Then(40) }));
        Assert.Equal(19, scored["withdrawalScores"]![0]!["total"]!.GetValue<int>());
        var completed = await Ok(clinic.Post($"{at}/completion", new { completedAt = Then(50) }));
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        // Responses spell clinical values as requests and events do.
        Assert.Equal("severe", completed["criteria"]!["severity"]!.GetValue<string>());
        Assert.Equal("positive", completed["labs"]!["hepatitis-c"]!["result"]!.GetValue<string>());
    }

    private static async Task<JsonNode> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
