using System.Net;

namespace Recovery.Integration.Tests;

/// <summary>Who recorded a fact is the authenticated user, from the token to the network record; no body names it.</summary>
[Collection(PlatformCollection.Name)]
public class AuthorshipTests(Platform platform)
{
    [Fact]
    public async Task Every_timeline_entry_names_the_token_user_who_recorded_it()
    {
        var clinic = Platform.ClinicClient(platform.Assessment, "clinic-north", user: "dr-ines@clinic-north");
        var patientId = await AssessmentJourneyTests.RegisterAndAssess(clinic);

        var timeline = await platform.TimelineWhen(patientId, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 9);
        Assert.NotNull(timeline);
        Assert.All(timeline["entries"]!.AsArray(), e => Assert.Equal(("dr-ines@clinic-north", "clinician"),
            (e!["recordedBy"]!["userId"]!.GetValue<string>(), e["recordedBy"]!["role"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_body_that_names_who_recorded_is_refused_naming_the_field()
    {
        var detox = Platform.ClinicClient(platform.Detox, "clinic-north");
        var response = await detox.Post($"/detox-plans/{Guid.NewGuid()}/approval", new { approvedBy = "dr-somebody-else" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("recorder-from-token", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["approvedBy"]);
    }

    [Fact]
    public async Task The_api_description_and_its_pages_need_no_token_on_any_service()
    {
        foreach (var client in new[] { platform.Assessment.CreateClient(), platform.Detox.CreateClient(), platform.Counseling.CreateClient(),
                     platform.Relapse.CreateClient(), platform.Timeline.CreateClient() })
        {
            var docs = await client.GetAsync("/docs/index.html");
            Assert.True(docs.IsSuccessStatusCode, $"/docs/index.html answered {(int)docs.StatusCode}");
            Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        }
        // The root points at the API description (the Timeline serves its web view there instead).
        var root = await platform.Assessment.CreateClient().GetAsync("/");
        Assert.True(root.IsSuccessStatusCode || root.StatusCode == HttpStatusCode.Redirect, $"/ answered {(int)root.StatusCode}");
    }
}
