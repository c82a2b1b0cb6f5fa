using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Recovery.BuildingBlocks.Http;
using Task = System.Threading.Tasks.Task;

namespace Recovery.Integration.Tests;

/// <summary>GET /patients/{id}/fhir over HTTP: a Bundle the Firely SDK reads back, under the timeline's consent rules.</summary>
[Collection(PlatformCollection.Name)]
public class FhirExportTests(Platform platform)
{
    [Fact]
    public async Task The_record_exports_as_a_FHIR_bundle_that_follows_consent()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-north"));
        Assert.NotNull(await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() == 9));

        var own = await Export(Platform.ClinicClient(platform.Timeline, "clinic-north"), patient);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/fhir+json", own.Content.Headers.ContentType?.MediaType);
        Assert.False(own.Headers.Contains("X-Redisclosure-Notice"));
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await own.Content.ReadAsStringAsync());
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var resources = bundle.Entry.Select(e => e.Resource).ToList();
        Assert.Equal(patient.ToString(), resources.OfType<Patient>().Single().Id);
        var condition = resources.OfType<Condition>().Single();
        Assert.Contains(condition.Code!.Coding, c => c.System == "http://hl7.org/fhir/sid/icd-10-cm" && c.Code == "F11.20");
        Assert.Equal(3, resources.OfType<Observation>().Count(o => o.Category.Any(c => c.Coding.Any(x => x.Code == "laboratory"))));
        var cows = resources.OfType<Observation>().Single(o => o.Component.Count == 11);
        Assert.Equal(19, ((Integer)cows.Value!).Value);
        Assert.All(resources, r => Assert.Contains(r!.Meta!.Security, s => s.Code == "SUD"));

        // Another clinic: nothing without consent; with it, the bundle, its consent and the notice, and a disclosure recorded.
        var southClinician = Platform.ClinicClient(platform.Timeline, "clinic-south");
        Assert.Equal(HttpStatusCode.NotFound, (await Export(southClinician, patient)).StatusCode);
        (await Platform.ClinicClient(platform.Timeline, "clinic-north").Post($"/patients/{patient}/consents", new { recipient = "clinic-south", purpose = "treatment" }))
            .EnsureSuccessStatusCode();
        var southIntegrator = Platform.ClinicClient(platform.Timeline, "clinic-south", Roles.Integrator);
        var shared = await Export(southIntegrator, patient);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Contains("42 CFR part 2", shared.Headers.GetValues("X-Redisclosure-Notice").Single());
        var sharedBundle = new FhirJsonDeserializer().Deserialize<Bundle>(await shared.Content.ReadAsStringAsync());
        Assert.Equal(Consent.ConsentState.Active, sharedBundle.Entry.Select(e => e.Resource).OfType<Consent>().Single().Status);
        Assert.Equal(resources.Count + 1, sharedBundle.Entry.Count);
        var disclosures = await (await Platform.ClinicClient(platform.Timeline, "clinic-north").GetAsync($"/patients/{patient}/disclosures")).Json();
        Assert.Equal("fhir", disclosures["disclosures"]![0]!["channel"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, (await Export(Platform.ClinicClient(platform.Timeline, "clinic-north", Roles.Counselor), patient)).StatusCode);
    }

    private static Task<HttpResponseMessage> Export(HttpClient client, Guid patient) => client.GetAsync($"/patients/{patient}/fhir");
}
