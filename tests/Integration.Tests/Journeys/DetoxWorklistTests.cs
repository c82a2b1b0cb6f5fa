using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>The clinic's detox worklists (GET /detox-plans?status=): plans awaiting approval, and the dosing window.</summary>
[Collection(PlatformCollection.Name)]
public class DetoxWorklistTests(Platform platform)
{
    [Fact]
    public async Task A_drafted_plan_waits_on_the_approval_worklist_until_approved_then_joins_the_dosing_window_of_its_clinic_only()
    {
        var clinic = "worklist-" + Guid.NewGuid().ToString("N")[..8];
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "methadone", schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 30m } },
        }), "assessment-not-completed");
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var plan = (await drafted.Json())["planId"]!.GetValue<Guid>();

        var awaiting = await Plans(detox, "awaiting-approval");
        var row = Assert.Single(awaiting)!;
        Assert.Equal(plan, row["planId"]!.GetValue<Guid>());
        Assert.Equal(patient, row["patientId"]!.GetValue<Guid>());
        Assert.Equal($"clinician@{clinic}", row["draftedBy"]!.GetValue<string>());
        Assert.Empty(await Plans(detox, "awaiting-induction,in-treatment"));
        // Another clinic's worklist never shows it.
        Assert.Empty(await Plans(Platform.ClinicClient(platform.Detox, clinic + "-x"), "awaiting-approval"));

        await CareJourneyTests.Ok(Platform.SecondClinician(platform.Detox, clinic).Post($"/detox-plans/{plan}/approval", new { }));
        Assert.Empty(await Plans(detox, "awaiting-approval"));
        Assert.Equal("awaiting-induction", Assert.Single(await Plans(detox, "awaiting-induction,in-treatment"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_that_is_not_an_open_plans_is_400_naming_the_field()
    {
        var response = await Platform.ClinicClient(platform.Detox, "worklist-bad").GetAsync("/detox-plans?status=completed");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("request-invalid", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["status"]);
    }

    private static async Task<JsonArray> Plans(HttpClient detox, string status)
    {
        var response = await detox.GetAsync($"/detox-plans?status={status}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json())["plans"]!.AsArray();
    }
}
