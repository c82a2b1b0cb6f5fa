extern alias timeline;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Integration.Tests;

/// <summary>Who may call, and what a clinic may see of another clinic's records: tokens, consent, disclosures, analysts.</summary>
[Collection(PlatformCollection.Name)]
public partial class SharingTests(Platform platform)
{
    [Fact]
    public async Task Missing_expired_badly_signed_and_wrong_audience_tokens_are_401_and_change_nothing()
    {
        // Only this test's registrations are counted: the record numbers it sends.
        var recordNumbers = Enumerable.Range(0, 5).Select(_ => Requests.NewRecordNumber()).ToArray();
        Task<long> Registrations() =>
            Platform.Count("select count(*) from assessment.mt_events where data->>'clinicRecordNumber' = any(@numbers)", ("numbers", recordNumbers));
        var before = await Registrations();
        var other = new AccessTokens(new AuthOptions
        {
            Issuer = TestSecrets.Issuer, Audience = TestSecrets.Audience,
            SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        }).Issue("clinic-north", Roles.Clinician, "mallory");
        var wrongAudience = new AccessTokens(new AuthOptions { Issuer = TestSecrets.Issuer, Audience = "another-platform", SigningKey = TestSecrets.SigningKey })
            .Issue("clinic-north", Roles.Clinician, "mallory");
        var cases = new (string? Token, string Rule)[]
        {
            (null, "token-required"),
            (Platform.Token("clinic-north", now: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)), "token-expired"),
            (other, "token-signature-invalid"),
            (wrongAudience, "token-audience-invalid"),
            ("not-a-jwt", "token-invalid"),
        };
        foreach (var ((token, rule), recordNumber) in cases.Zip(recordNumbers))
        {
            var client = platform.Assessment.CreateClient();
            if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.Post("/patients", Requests.Patient(recordNumber));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{rule}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(rule, (await response.Json())["rule"]!.GetValue<string>());
        }
        Assert.Equal(before, await Registrations());
    }

    [Fact]
    public async Task A_role_not_allowed_is_403_as_problem_details()
    {
        var calls = new (HttpClient Client, string Path)[]
        {
            (Platform.ClinicClient(platform.Assessment, "clinic-north", Roles.Counselor), "/patients"),
            (Platform.ClinicClient(platform.Detox, "clinic-north", Roles.Analyst), "/detox-plans"),
            (Platform.ClinicClient(platform.Counseling, "clinic-north", Roles.Integrator), "/counseling-sessions"),
            (Platform.ClinicClient(platform.Relapse, "clinic-north", Roles.Counselor), "/monitorings/recomputation"),
        };
        foreach (var (client, path) in calls)
        {
            var response = await client.Post(path, new { });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("role-not-allowed", (await response.Json())["rule"]!.GetValue<string>());
        }
        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/patients/{Guid.NewGuid()}/timeline")).StatusCode);
        var clinician = Platform.ClinicClient(platform.Timeline, "clinic-north");
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync("/analytics/journeys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.Post($"/patients/{Guid.NewGuid()}/erasure", new { })).StatusCode);
    }

    [Fact]
    public async Task A_clinic_sees_another_clinics_records_only_under_a_live_consent_and_each_such_read_is_a_disclosure()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-north"));
        var south = platform.ClinicClient("clinic-south");
        (await south.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient))).EnsureSuccessStatusCode();
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() == 9));
        var ownOnly = await platform.TimelineWhen(patient, "clinic-south", t => t["entryCount"]!.GetValue<int>() == 1);
        Assert.NotNull(ownOnly);

        // South sees only what it recorded; reading its own records discloses nothing.
        var southTimeline = Platform.ClinicClient(platform.Timeline, "clinic-south");
        var northTimeline = Platform.ClinicClient(platform.Timeline, "clinic-north");
        Assert.All(ownOnly["entries"]!.AsArray(), e => Assert.Equal("clinic-south", e!["clinicId"]!.GetValue<string>()));
        Assert.Empty(ownOnly["sharedFrom"]!.AsArray());
        Assert.Null(ownOnly["redisclosureNotice"]);

        // A clinic with no records and no consent learns nothing, not even that the patient exists.
        var west = await Platform.ClinicClient(platform.Timeline, "clinic-west").GetAsync($"/patients/{patient}/timeline");
        Assert.Equal(HttpStatusCode.NotFound, west.StatusCode);

        // North records the patient's consent to share its records with south for treatment.
        var granted = await northTimeline.Post($"/patients/{patient}/consents",
            new { recipient = "clinic-south", purpose = "treatment", expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var consentId = (await granted.Json())["id"]!.GetValue<Guid>();

        var shared = await (await southTimeline.GetAsync($"/patients/{patient}/timeline")).Json();
        Assert.Equal(10, shared["entryCount"]!.GetValue<int>());
        Assert.Equal(consentId, shared["sharedFrom"]![0]!["consentId"]!.GetValue<Guid>());
        Assert.Equal(9, shared["sharedFrom"]![0]!["entries"]!.GetValue<int>());
        Assert.Contains("42 CFR part 2", shared["redisclosureNotice"]!.GetValue<string>());
        var disclosureId = shared["disclosureId"]!.GetValue<Guid>();

        // The consent covers treatment only.
        var forPayment = await (await southTimeline.GetAsync($"/patients/{patient}/timeline?purpose=payment")).Json();
        Assert.Equal(1, forPayment["entryCount"]!.GetValue<int>());

        // The disclosure is listed for the patient: who, which clinic, which entries, under which consent.
        var listed = await (await northTimeline.GetAsync($"/patients/{patient}/disclosures")).Json();
        var disclosure = listed["disclosures"]!.AsArray().Single()!;
        Assert.Equal(disclosureId, disclosure["id"]!.GetValue<Guid>());
        Assert.Equal("clinic-south", disclosure["recipientClinic"]!.GetValue<string>());
        Assert.Equal("clinician@clinic-south", disclosure["user"]!.GetValue<string>());
        Assert.Equal("treatment", disclosure["purpose"]!.GetValue<string>());
        Assert.Equal("clinic-north", disclosure["records"]![0]!["sourceClinic"]!.GetValue<string>());
        Assert.Equal(consentId, disclosure["records"]![0]!["consentId"]!.GetValue<Guid>());
        var disclosedEntries = disclosure["records"]![0]!["entryIds"]!.AsArray().Select(e => e!.GetValue<Guid>()).Order();
        var northEntries = shared["entries"]!.AsArray().Where(e => e!["clinicId"]!.GetValue<string>() == "clinic-north")
            .Select(e => e!["eventId"]!.GetValue<Guid>()).Order();
        Assert.Equal(northEntries, disclosedEntries);

        // Revocation takes effect for every later read.
        (await northTimeline.Post($"/patients/{patient}/consents/{consentId}/revocation", new { })).EnsureSuccessStatusCode();
        var afterRevocation = await (await southTimeline.GetAsync($"/patients/{patient}/timeline")).Json();
        Assert.Equal(1, afterRevocation["entryCount"]!.GetValue<int>());
        Assert.Empty(afterRevocation["sharedFrom"]!.AsArray());
        Assert.Single((await (await northTimeline.GetAsync($"/patients/{patient}/disclosures")).Json())["disclosures"]!.AsArray());
    }

    [Fact]
    public async Task An_expired_consent_shares_nothing_more()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-north"));
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() == 9));
        var northTimeline = Platform.ClinicClient(platform.Timeline, "clinic-north");
        var lifetime = TimeSpan.FromMinutes(10);
        var expiresAt = platform.TimelineClock.GetUtcNow() + lifetime;
        (await northTimeline.Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment", expiresAt }))
            .EnsureSuccessStatusCode();

        var east = Platform.ClinicClient(platform.Timeline, "clinic-east");
        Assert.Equal(HttpStatusCode.OK, (await east.GetAsync($"/patients/{patient}/timeline")).StatusCode);
        // The shared Timeline's clock, moved past the expiry and back: no second host to boot, and no other test runs meanwhile.
        using (platform.TimelineClock.Advance(lifetime))
            Assert.Equal(HttpStatusCode.NotFound, (await east.GetAsync($"/patients/{patient}/timeline")).StatusCode);
    }

    [Fact]
    public async Task Bad_consents_are_refused_with_the_field_and_record_nothing()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-north"));
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() == 9));
        var north = Platform.ClinicClient(platform.Timeline, "clinic-north");
        Task<long> ConsentEvents() => Platform.Count("select count(*) from timeline.mt_events where type ilike '%consent%' and data->>'patientId' = @p",
            ("p", patient.ToString()));
        var before = await ConsentEvents();

        async Task Refused(HttpClient client, string path, object body, HttpStatusCode status, string rule, string? field = null)
        {
            var response = await client.Post(path, body);
            var problem = await response.Json();
            Assert.True(status == response.StatusCode, $"{path} {rule}: {(int)response.StatusCode} {problem}");
            Assert.Equal(rule, problem["rule"]!.GetValue<string>());
            if (field is not null) Assert.NotNull(problem["errors"]![field]);
        }

        var consents = $"/patients/{patient}/consents";
        await Refused(north, consents, new { recipient = "Clinic South!", purpose = "treatment" }, HttpStatusCode.BadRequest, "request-invalid", "recipient");
        await Refused(north, consents, new { recipient = "clinic-south", purpose = "marketing" }, HttpStatusCode.BadRequest, "request-invalid", "purpose");
        await Refused(north, consents, new { recipient = "clinic-south", purpose = "treatment", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) },
            HttpStatusCode.BadRequest, "request-invalid", "expiresAt");
        await Refused(north, consents, new { recipient = "clinic-north", purpose = "treatment" }, HttpStatusCode.UnprocessableEntity, "consent-to-own-clinic");
        await Refused(Platform.ClinicClient(platform.Timeline, "clinic-west"), consents, new { recipient = "network", purpose = "treatment" },
            HttpStatusCode.NotFound, "patient-not-found");
        await Refused(north, $"/patients/{Guid.NewGuid()}/consents", new { recipient = "network", purpose = "treatment" }, HttpStatusCode.NotFound, "patient-not-found");

        var granted = await (await north.Post(consents, new { recipient = "network", purpose = "treatment" })).Json();
        var revocation = $"{consents}/{granted["id"]}/revocation";
        await Refused(Platform.ClinicClient(platform.Timeline, "clinic-south"), revocation, new { }, HttpStatusCode.NotFound, "consent-not-found");
        (await north.Post(revocation, new { })).EnsureSuccessStatusCode();
        await Refused(north, revocation, new { }, HttpStatusCode.Conflict, "consent-already-revoked");
        // Only the one good consent and its one revocation were recorded.
        Assert.Equal(before + 2, await ConsentEvents());
    }

    [Fact]
    public async Task A_clinic_cannot_reach_another_clinics_records_in_the_care_services_whatever_the_request_says()
    {
        // Clinics of its own, so that only this test writes to the north clinic counted here.
        var (northId, southId) = (Requests.NewClinicId(), Requests.NewClinicId());
        var north = platform.ClinicClient(northId);
        var patient = await AssessmentJourneyTests.RegisterAndAssess(north);
        var south = platform.ClinicClient(southId);
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/patients/{patient}")).StatusCode);
        // Naming the clinic in the body is not a way in: south does not know the patient, north's record is untouched.
        Task<long> NorthEvents() => Platform.Count("select count(*) from assessment.mt_events where tenant_id = @clinic", ("clinic", northId));
        var northEvents = await NorthEvents();
        var named = await south.Post($"/patients/{patient}/assessments", new { clinicId = northId });
        Assert.True(named.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, named.StatusCode.ToString());
        Assert.Equal(northEvents, await NorthEvents());
        // Nor is the old header.
        var header = Platform.ClinicClient(platform.Assessment, southId);
        header.DefaultRequestHeaders.Add("X-Clinic-Id", northId);
        Assert.Equal(HttpStatusCode.NotFound, (await header.GetAsync($"/patients/{patient}")).StatusCode);
    }

    [Fact]
    public async Task Analysts_get_de_identified_journeys_and_nothing_that_names_a_person()
    {
        // A clinic of its own, whose journeys are this test's one; forty at registration, whatever the year.
        var clinic = Requests.NewClinicId();
        var dateOfBirth = Requests.Today.AddYears(-40);
        var north = platform.ClinicClient(clinic);
        var recordNumber = Requests.NewRecordNumber();
        var registered = await (await north.Post("/patients", Requests.Patient(recordNumber, dateOfBirth: dateOfBirth))).Json();
        var patient = registered["patientId"]!.GetValue<Guid>();
        (await north.Post($"/patients/{patient}/assessments", new { })).EnsureSuccessStatusCode();
        Assert.NotNull(await platform.TimelineWhen(patient, clinic, t => t["entryCount"]!.GetValue<int>() == 2));

        var analyst = Platform.ClinicClient(platform.Timeline, null, Roles.Analyst);
        JsonNode? journey = null;
        var responses = new List<string>();
        for (var page = 1; journey is null; page++)
        {
            var response = await analyst.GetAsync($"/analytics/journeys?clinic={clinic}&page={page}&pageSize=500");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            responses.Add(text);
            var body = JsonNode.Parse(text)!;
            Assert.NotEmpty(body["journeys"]!.AsArray());
            journey = body["journeys"]!.AsArray().FirstOrDefault(j => j!["pseudonym"]!.GetValue<string>() == Pseudonym(patient));
        }
        Assert.Equal("35-44", journey["ageBand"]!.GetValue<string>()); // forty when the journey began
        Assert.Equal("female", journey["sex"]!.GetValue<string>());
        Assert.Equal(["patient-registered", "assessment-started"], journey["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
        // No date finer than the year: weeks since the journey's first fact, and the year it started.
        Assert.Equal([0, 0], journey["entries"]!.AsArray().Select(e => e!["week"]!.GetValue<int>()));
        Assert.Equal(DateTimeOffset.UtcNow.Year, journey["startYear"]!.GetValue<int>());
        Assert.All(responses, text => Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", text));

        // Every other GET any service offers is closed to analysts.
        foreach (var (name, client) in new (string, HttpClient)[]
                 {
                     ("assessment", Platform.ClinicClient(platform.Assessment, clinic, Roles.Analyst)),
                     ("detox", Platform.ClinicClient(platform.Detox, clinic, Roles.Analyst)),
                     ("counseling", Platform.ClinicClient(platform.Counseling, clinic, Roles.Analyst)),
                     ("relapse", Platform.ClinicClient(platform.Relapse, clinic, Roles.Analyst)),
                     ("timeline", Platform.ClinicClient(platform.Timeline, clinic, Roles.Analyst)),
                 })
        {
            var api = await (await client.GetAsync("/openapi/v1.json")).Json();
            foreach (var (path, operations) in api["paths"]!.AsObject())
            {
                if (operations!["get"] is null) continue;
                var url = Parameters().Replace(path, m => m.Value == "{patientId}" ? patient.ToString() : m.Value == "{meetingOn}" ? $"{Requests.Today:yyyy-MM-dd}" : Guid.NewGuid().ToString());
                var analytics = url.StartsWith("/analytics/", StringComparison.Ordinal);
                // The analytics over this test's clinic: the network's other numbers could hold the birth year by chance.
                var response = await client.GetAsync(analytics ? $"{url}?clinic={clinic}" : url);
                var text = await response.Content.ReadAsStringAsync();
                if (analytics) responses.Add(text);
                else Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name} GET {url}: {(int)response.StatusCode} {text}");
            }
        }

        // Nothing that identifies the person, in any analyst response.
        foreach (var text in responses)
        {
            foreach (var personal in new[] { patient.ToString(), recordNumber, "Ana", "Teste", $"{dateOfBirth:yyyy-MM-dd}", "ana@example.org", "210 000 000" })
                Assert.DoesNotContain(personal, text);
            Assert.DoesNotMatch($"(?<![0-9a-z]){dateOfBirth.Year}(?![0-9a-z])", text); // the birth year, as a value (a hex pseudonym may hold the digits)
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", text); // no exact times
            Assert.DoesNotContain("summary", text); // the clinicians' summaries carry exact dates
        }
    }

    private static string Pseudonym(Guid patientId) =>
        new timeline::Recovery.Timeline.Analytics.Pseudonyms(Convert.FromBase64String(TestSecrets.Settings["Privacy:PseudonymKey"]!)).Of(patientId);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameters();
}
