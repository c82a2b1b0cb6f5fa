using System.Net;
using System.Net.Http.Json;

namespace Recovery.Integration.Tests;

/// <summary>That a person is treated at a clinic is itself protected (42 CFR 2.13(c)): no clinic learns it without consent.</summary>
[Collection(PlatformCollection.Name)]
public class PresencePrivacyTests(Platform platform)
{
    [Fact]
    public async Task A_clinic_lists_only_the_consents_it_recorded_and_the_live_ones_that_name_it()
    {
        var (north, south, east) = (Requests.NewClinicId(), Requests.NewClinicId(), Requests.NewClinicId());
        var patient = (await (await platform.ClinicClient(north).Post("/patients", Requests.Patient(Requests.NewRecordNumber()))).Json())["patientId"]!
            .GetValue<Guid>();
        await platform.ClinicClient(east).Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient));
        await platform.TimelineWhen(patient, east, t => t["entryCount"]!.GetValue<int>() >= 1);
        await platform.TimelineWhen(patient, north, t => t["entryCount"]!.GetValue<int>() >= 1);
        var granted = await Platform.ClinicClient(platform.Timeline, north).Post($"/patients/{patient}/consents",
            new { recipient = south, purpose = "treatment" });
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);

        var asNorth = await (await Platform.ClinicClient(platform.Timeline, north).GetAsync($"/patients/{patient}/consents")).Json();
        Assert.Single(asNorth["consents"]!.AsArray());
        // East treats the patient too, but the consent neither is its own nor names it: it must not learn of north or south.
        var asEast = await Platform.ClinicClient(platform.Timeline, east).GetAsync($"/patients/{patient}/consents");
        Assert.Equal(HttpStatusCode.OK, asEast.StatusCode);
        var body = await asEast.Content.ReadAsStringAsync();
        Assert.Empty((await asEast.Json())["consents"]!.AsArray());
        Assert.DoesNotContain(north, body);
        Assert.DoesNotContain(south, body);
    }

    [Fact]
    public async Task A_number_sent_as_a_string_and_a_body_that_is_not_json_are_refused_naming_the_rule()
    {
        var clinic = platform.ClinicClient(Requests.NewClinicId());
        var patient = (await (await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber()))).Json())["patientId"]!.GetValue<Guid>();
        var assessment = (await (await clinic.Post($"/patients/{patient}/assessments", new { })).Json())["assessmentId"]!.GetValue<Guid>();

        var asString = await clinic.PostAsync($"/assessments/{assessment}/cardiovascular-status", new StringContent(
            """{"heartRate":"98","systolicBloodPressure":132,"diastolicBloodPressure":84,"qtcMilliseconds":441,"conclusion":"normal"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, asString.StatusCode);
        var problem = await asString.Json();
        Assert.Equal("malformed-json", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["heartRate"]);

        var asText = await clinic.PostAsync($"/assessments/{assessment}/criteria", new StringContent("criteria: craving", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asText.StatusCode);
        Assert.Equal("application/problem+json", asText.Content.Headers.ContentType?.MediaType);
        var unsupported = await asText.Content.ReadAsStringAsync();
        Assert.True(unsupported.Contains("\"rule\":\"unsupported-media-type\""), unsupported);
        var state = await (await clinic.GetAsync($"/assessments/{assessment}")).Json();
        Assert.Null(state["cardiovascular"]);
        Assert.Null(state["criteria"]);
    }
}
