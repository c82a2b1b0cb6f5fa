using System.Net;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Http;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests;

/// <summary>
/// One person, one verified network identity: a registration is linked to an existing network patient only when its
/// identifying data matches or it carries the patient's link code; a clinic finds its own patients on blind indexes; and a
/// clinic's erasure shreds only what that clinic holds, a network administrator's everything.
/// </summary>
[Collection(PlatformCollection.Name)]
public class NetworkIdentityTests(Platform platform)
{
    private readonly string _north = Requests.NewClinicId();
    private readonly string _south = Requests.NewClinicId();
    private readonly string _west = Requests.NewClinicId();
    private readonly string _east = Requests.NewClinicId();

    /// <summary>A family name found nowhere else, so searches see only this test's patients.</summary>
    private readonly string _family = "Núñez" + Guid.NewGuid().ToString("N")[..10];

    private static object Person(string recordNumber, string given, string family, string born, string sex, Guid? patientId = null,
        string? linkCode = null) => new
    {
        clinicRecordNumber = recordNumber, givenName = given, familyName = family, dateOfBirth = born, sex, patientId, linkCode,
    };

    private static Task<long> AssessmentRegistrations(Guid patient) => Platform.Count(
        "select count(*) from assessment.mt_events where type = 'Recovery.Assessment.Patients.PatientRegistered' and data->>'patientId' = @p", ("p", patient.ToString()));

    [Fact]
    public async Task Another_persons_data_is_refused_and_links_nothing_while_the_same_person_or_a_link_code_links()
    {
        var north = platform.ClinicClient(_north);
        var patient = (await Ok(north.Post("/patients", Person("N-1", "María José", _family, "1984-03-02", "female")),
            HttpStatusCode.Created))["patientId"]!.GetValue<Guid>();

        // A 1961-born man under her network id: refused, naming the rule and the field, and nothing is written or linked.
        var south = platform.ClinicClient(_south);
        var refused = await south.Post("/patients", Person("S-1", "Joseph", "Brown", "1961-07-09", "male", patient));
        var problem = await Problem(refused, HttpStatusCode.Conflict, "identity-mismatch");
        Assert.NotNull(problem["errors"]!["patientId"]);
        // Refused again with only the birth date a day off: the refusal does not say which value differs.
        await Problem(await south.Post("/patients", Person("S-1", "María José", _family, "1984-03-03", "female", patient)),
            HttpStatusCode.Conflict, "identity-mismatch");
        Assert.Equal(1, await AssessmentRegistrations(patient));
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/patients/{patient}")).StatusCode);

        // The same person written without accents, in capitals: linked.
        var linked = await Ok(south.Post("/patients", Person("S-1", "MARIA JOSE", _family.Replace("ú", "u").ToUpperInvariant(), "1984-03-02",
            "female", patient)), HttpStatusCode.Created);
        Assert.Equal(patient, linked["patientId"]!.GetValue<Guid>());

        // A person whose name changed is linked by the code the first clinic gives them, once.
        var code = await Ok(north.Post($"/patients/{patient}/link-codes", new { }), HttpStatusCode.Created);
        Assert.Equal(patient, code["patientId"]!.GetValue<Guid>());
        var linkCode = code["code"]!.GetValue<string>();
        var west = platform.ClinicClient(_west);
        Assert.Equal(patient, (await Ok(west.Post("/patients", Person("W-1", "Maria", "Smith", "1984-03-02", "female", patient,
            linkCode.ToLowerInvariant())), HttpStatusCode.Created))["patientId"]!.GetValue<Guid>());
        await Problem(await platform.ClinicClient(_east).Post("/patients", Person("E-1", "Maria", "Smith", "1984-03-02", "female", patient, linkCode)),
            HttpStatusCode.Conflict, "link-code-used");
        // A clinic that does not know the patient cannot issue a code for them.
        await Problem(await platform.ClinicClient(_east).Post($"/patients/{patient}/link-codes", new { }), HttpStatusCode.NotFound,
            "patient-not-registered");
        Assert.Equal(3, await AssessmentRegistrations(patient));
    }

    [Fact]
    public async Task A_clinic_finds_its_own_patients_by_record_number_name_or_birth_date_and_no_other_clinics()
    {
        var north = platform.ClinicClient(_north);
        var patient = (await Ok(north.Post("/patients", Person("N-7", "Ana", _family, "1990-05-06", "female")),
            HttpStatusCode.Created))["patientId"]!.GetValue<Guid>();
        await Ok(north.Post("/patients", Person("N-8", "Rui", _family, "1975-01-02", "male")), HttpStatusCode.Created);
        await Ok(platform.ClinicClient(_south).Post("/patients", Person("S-7", "Ana", _family, "1990-05-06", "female", patient)),
            HttpStatusCode.Created);

        async Task<string[]> Found(HttpClient client, string query) =>
            (await Ok(client.GetAsync($"/patients?{query}")))["patients"]!.AsArray()
            .Select(p => $"{p!["clinicRecordNumber"]} {p["givenName"]}").ToArray();

        Assert.Equal(["N-7 Ana", "N-8 Rui"], await Found(north, $"name={Uri.EscapeDataString(_family.ToLowerInvariant())}"));
        Assert.Equal(["N-7 Ana"], await Found(north, $"name={Uri.EscapeDataString(_family)}&birthDate=1990-05-06"));
        Assert.Equal(["N-7 Ana"], await Found(north, "name=ana&recordNumber=N-7"));
        Assert.Empty(await Found(north, $"name={Uri.EscapeDataString(_family)}&birthDate=1990-05-07"));
        Assert.Equal(["S-7 Ana"], await Found(platform.ClinicClient(_south), $"name={Uri.EscapeDataString(_family)}"));
        await Problem(await north.GetAsync("/patients"), HttpStatusCode.BadRequest, "search-criteria-required");
    }

    [Fact]
    public async Task A_clinics_administrator_erases_only_that_clinics_data_and_the_network_administrator_erases_everywhere()
    {
        var north = platform.ClinicClient(_north);
        var patient = (await Ok(north.Post("/patients", Person("N-9", "Inês", _family, "1979-09-09", "female")),
            HttpStatusCode.Created))["patientId"]!.GetValue<Guid>();
        var south = platform.ClinicClient(_south);
        await Ok(south.Post("/patients", Person("S-9", "Ines", _family, "1979-09-09", "female", patient)), HttpStatusCode.Created);
        await platform.TimelineWhen(patient, _south, t => Kinds(t).Contains("patient-registered"));

        async Task<bool?> Erased(HttpClient client) => (await Ok(client.GetAsync($"/patients/{patient}")))["registration"]!["personalDataErased"]!
            .GetValue<bool>();

        // A clinician cannot erase; the south clinic's administrator erases what the south clinic holds, and nothing of north's.
        Assert.Equal(HttpStatusCode.Forbidden, (await Platform.ClinicClient(platform.Timeline, _south).Post($"/patients/{patient}/erasure", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await Platform.ClinicClient(platform.Timeline, _south, Roles.Admin).Post($"/patients/{patient}/erasure", new { })).StatusCode);
        await Eventually.Until(() => Erased(south), erased => erased == true, condition: "the south clinic's erasure to reach Assessment");
        Assert.False(await Erased(north));
        Assert.Equal("Inês", (await Ok(north.GetAsync($"/patients/{patient}")))["registration"]!["givenName"]!.GetValue<string>());
        // The blind indexes go in the erasure's own transaction, a moment after the key.
        await Eventually.Until(() => Matches(south, $"name={Uri.EscapeDataString(_family)}"), found => found == 0,
            condition: "the south clinic's indexes of the person to be cleared");
        Assert.Single((await Ok(north.GetAsync($"/patients?name={Uri.EscapeDataString(_family)}&recordNumber=N-9")))["patients"]!.AsArray());

        // The network administrator erases the person at every clinic.
        Assert.Equal(HttpStatusCode.Accepted, (await Platform.ClinicClient(platform.Timeline, _south, Roles.NetworkAdmin)
            .Post($"/patients/{patient}/erasure", new { })).StatusCode);
        await Eventually.Until(() => Erased(north), erased => erased == true, condition: "the network erasure to reach the north clinic's data");
        await Eventually.Until(() => Matches(north, $"name={Uri.EscapeDataString(_family)}&recordNumber=N-9"), found => found == 0,
            condition: "the north clinic's indexes of the person to be cleared");
        // An erased person can no longer be linked by matching data: nothing is left to compare.
        await Problem(await platform.ClinicClient(_west).Post("/patients", Person("W-9", "Inês", _family, "1979-09-09", "female", patient)),
            HttpStatusCode.Conflict, "identity-mismatch");
    }

    [Fact]
    public async Task A_registration_linked_to_the_wrong_person_entered_in_error_is_unlinked_everywhere_and_the_number_registered_again()
    {
        var north = platform.ClinicClient(_north);
        var patient = (await Ok(north.Post("/patients", Person("N-5", "María José", _family, "1984-03-02", "female")),
            HttpStatusCode.Created))["patientId"]!.GetValue<Guid>();
        var code = (await Ok(north.Post($"/patients/{patient}/link-codes", new { }), HttpStatusCode.Created))["code"]!.GetValue<string>();

        // South links another person (a 1961-born man) to her with the code: the wrong link is made.
        var south = platform.ClinicClient(_south);
        var wrong = await Ok(south.Post("/patients", Person("S-5", "Joseph", "Brown", "1961-07-09", "male", patient, code)), HttpStatusCode.Created);
        Assert.Equal(patient, wrong["patientId"]!.GetValue<Guid>());
        var registrationId = wrong["id"]!.GetValue<Guid>();
        // He has a counseling session at south (Counseling needs only the registration), and his consent to share with the network.
        var counseling = Platform.ClinicClient(platform.Counseling, _south);
        await Ok(Eventually.Learned(() => counseling.Post("/counseling-sessions",
            new { patientId = patient, scheduledFor = DateTimeOffset.UtcNow.AddDays(2), counselorId = "counselor-1" }), "patient-not-registered"),
            HttpStatusCode.Created);
        await platform.TimelineWhen(patient, _south, t => Kinds(t).Contains("patient-registered"));
        await Ok(Platform.ClinicClient(platform.Timeline, _south).Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment" }),
            HttpStatusCode.Created);
        // North, the clinic that knows her, now sees his entries on her record, and another clinic matching his data would be linked.
        await platform.TimelineWhen(patient, _north, t => SouthKinds(t).SequenceEqual(["counseling-session-scheduled", "patient-registered"]));

        // South marks its registration entered in error; with no reason it is refused.
        await Problem(await south.Post($"/registrations/{registrationId}/entered-in-error", new { }), HttpStatusCode.BadRequest, "request-invalid");
        await Ok(south.Post($"/registrations/{registrationId}/entered-in-error", new { reason = "the link code was another patient's" }));
        await Problem(await south.Post($"/registrations/{registrationId}/entered-in-error", new { reason = "again" }), HttpStatusCode.Conflict,
            "registration-entered-in-error");

        // Her record, as north sees it, has none of his entries: not on the timeline, not in the FHIR export; hers stay.
        var after = await platform.TimelineWhen(patient, _north, t => SouthKinds(t).Count == 0);
        Assert.Equal(["patient-registered"], Kinds(after));
        var fhir = await (await Platform.ClinicClient(platform.Timeline, _north).GetAsync($"/patients/{patient}/fhir")).Content.ReadAsStringAsync();
        Assert.Contains($"urn:clinic:{_north}", fhir);
        Assert.DoesNotContain($"urn:clinic:{_south}", fhir);

        // South no longer finds or holds him as her, cannot give a code for her, and Counseling no longer takes sessions for her there.
        Assert.Equal(0, await Matches(south, "recordNumber=S-5"));
        await Problem(await south.GetAsync($"/patients/{patient}"), HttpStatusCode.NotFound, "patient-not-registered");
        await Problem(await south.Post($"/patients/{patient}/link-codes", new { }), HttpStatusCode.NotFound, "patient-not-registered");
        await Eventually.Until(() => Platform.Count("select count(*) from counseling.mt_doc_registeredpatient where id = @id and data->>'enteredInError' = 'true'",
            ("id", registrationId)), n => n == 1, condition: "Counseling to hear that the registration was entered in error");
        await Problem(await counseling.Post("/counseling-sessions",
            new { patientId = patient, scheduledFor = DateTimeOffset.UtcNow.AddDays(3), counselorId = "counselor-1" }), HttpStatusCode.NotFound,
            "patient-not-registered");
        // His data no longer counts as her network record: matching it links nothing.
        await Problem(await platform.ClinicClient(_east).Post("/patients", Person("E-5", "Joseph", "Brown", "1961-07-09", "male", patient)),
            HttpStatusCode.Conflict, "identity-mismatch");

        // The record number is registered again, for him as the new patient he is: a new registration, found by search.
        var again = await Ok(south.Post("/patients", Person("S-5", "Joseph", "Brown", "1961-07-09", "male")), HttpStatusCode.Created);
        var himself = again["patientId"]!.GetValue<Guid>();
        Assert.NotEqual(patient, himself);
        Assert.NotEqual(registrationId, again["id"]!.GetValue<Guid>());
        await Problem(await south.Post("/patients", Person("S-5", "Joseph", "Brown", "1961-07-09", "male")), HttpStatusCode.Conflict,
            "clinic-record-number-taken");
        var found = (await Ok(south.GetAsync("/patients?recordNumber=S-5")))["patients"]!.AsArray();
        Assert.Equal(himself, Assert.Single(found)!["patientId"]!.GetValue<Guid>());
        await platform.TimelineWhen(himself, _south, t => Kinds(t).SequenceEqual(["patient-registered"]));
        Assert.Equal(["patient-registered"], Kinds(await platform.TimelineWhen(patient, _north, t => SouthKinds(t).Count == 0)));

        List<string> SouthKinds(JsonNode timeline) => timeline["entries"]!.AsArray().Where(e => e!["clinicId"]!.GetValue<string>() == _south)
            .Select(e => e!["kind"]!.GetValue<string>()).Order().ToList();
    }

    [Fact]
    public async Task A_registration_with_care_recorded_under_it_is_not_entered_in_error()
    {
        var north = platform.ClinicClient(_north);
        var registration = await Ok(north.Post("/patients", Person("N-6", "Rita", _family, "1992-02-02", "female")), HttpStatusCode.Created);
        var patient = registration["patientId"]!.GetValue<Guid>();
        await Ok(north.Post($"/patients/{patient}/assessments", new { }), HttpStatusCode.Created);
        var problem = await Problem(await north.Post($"/registrations/{registration["id"]}/entered-in-error", new { reason = "wrong person" }),
            HttpStatusCode.Conflict, "registration-has-care");
        Assert.NotNull(problem["errors"]!["registrationId"]);
        Assert.Equal(1, await Matches(north, "recordNumber=N-6"));
        await Problem(await north.Post($"/registrations/{Guid.NewGuid()}/entered-in-error", new { reason = "wrong person" }),
            HttpStatusCode.NotFound, "registration-not-found");
    }

    [Fact]
    public async Task Two_clinics_spending_one_link_code_at_the_same_instant_link_only_one()
    {
        var north = platform.ClinicClient(_north);
        var patient = (await Ok(north.Post("/patients", Person("N-4", "Clara", _family, "1970-10-10", "female")),
            HttpStatusCode.Created))["patientId"]!.GetValue<Guid>();
        for (var round = 0; round < 8; round++)
        {
            var code = (await Ok(north.Post($"/patients/{patient}/link-codes", new { }), HttpStatusCode.Created))["code"]!.GetValue<string>();
            var clinics = new[] { Requests.NewClinicId(), Requests.NewClinicId() };
            var answers = await Task.WhenAll(clinics.Select(async clinic =>
            {
                var response = await platform.ClinicClient(clinic).Post("/patients", Person($"R-{round}", "Clara", "Other", "1970-10-10", "female", patient, code));
                return $"{(int)response.StatusCode} {(await response.Json())["rule"]?.GetValue<string>()}";
            }));
            Assert.Equal(["201 ", "409 link-code-used"], answers.Order());
        }
    }

    private static async Task<int> Matches(HttpClient client, string query) =>
        (await Ok(client.GetAsync($"/patients?{query}")))["patients"]!.AsArray().Count;

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        var body = await response.Json();
        Assert.True(response.StatusCode == status && body["rule"]?.GetValue<string>() == rule,
            $"expected {(int)status} {rule}, got {(int)response.StatusCode}: {body.ToJsonString()}");
        return body;
    }
}
