using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>Corrections over HTTP: addressed by the event id on the timeline, at the service that recorded the fact.</summary>
[Collection(PlatformCollection.Name)]
public class CorrectionTests(Platform platform)
{
    [Fact]
    public async Task A_dose_entered_in_error_frees_the_day_one_cap_and_is_struck_on_the_timeline_and_in_fhir()
    {
        var clinic = Requests.NewClinicId();
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "methadone", draftedAt = start.AddHours(-2),
            schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 40m } },
        }), "assessment-not-completed");
        var at = $"/detox-plans/{(await drafted.Json())["planId"]}";
        await CareJourneyTests.Ok(Platform.SecondClinician(platform.Detox, clinic).Post($"{at}/approval", new { approvedAt = start.AddHours(-1) }));
        await CareJourneyTests.Ok(detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 30, givenAt = start }));
        await CareJourneyTests.Ok(detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 10, givenAt = start.AddHours(1) }));
        var refused = await detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 10, givenAt = start.AddHours(2) });
        Assert.Equal("methadone-day-one-cap", (await refused.Json())["rule"]!.GetValue<string>());

        var timeline = await platform.TimelineWhen(patient, clinic, t => Doses(t).Count == 2);
        var second = Doses(timeline).Single(e => e["summary"]!.GetValue<string>().Contains("10 mg"))["eventId"]!.GetValue<Guid>();

        // Another clinic cannot see, let alone correct, this clinic's fact; an unknown fact is 404 too; a reason is required.
        Assert.Equal(HttpStatusCode.NotFound, (await Platform.ClinicClient(platform.Detox, Requests.NewClinicId())
            .Post($"/facts/{second}/entered-in-error", new { reason = "not ours" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await detox.Post($"/facts/{Guid.NewGuid()}/entered-in-error", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await detox.Post($"/facts/{second}/entered-in-error", new { })).StatusCode);

        var corrected = await CareJourneyTests.Ok(detox.Post($"/facts/{second}/entered-in-error", new { reason = "given to another patient" }));
        Assert.Equal([30m], corrected["doses"]!.AsArray().Select(d => d!["doseMg"]!.GetValue<decimal>()));
        var again = await detox.Post($"/facts/{second}/entered-in-error", new { reason = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("fact-already-corrected", (await again.Json())["rule"]!.GetValue<string>());
        await CareJourneyTests.Ok(detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 10, givenAt = start.AddHours(2) }));

        timeline = await platform.TimelineWhen(patient, clinic, t => Doses(t).Count == 3 && Doses(t).Any(e => e["correction"] is JsonObject));
        var struck = Doses(timeline).Single(e => e["eventId"]!.GetValue<Guid>() == second);
        Assert.Equal("entered-in-error", struck["correction"]!["kind"]!.GetValue<string>());
        Assert.Equal($"clinician@{clinic}", struck["correction"]!["recordedBy"]!["userId"]!.GetValue<string>());
        Assert.DoesNotContain("given to another patient", timeline.ToJsonString());

        var fhir = await (await Platform.ClinicClient(platform.Timeline, clinic).GetAsync($"/patients/{patient}/fhir")).Json();
        var statuses = fhir["entry"]!.AsArray().Select(e => e!["resource"]!)
            .Where(r => r["resourceType"]!.GetValue<string>() == "MedicationAdministration").Select(r => r["status"]!.GetValue<string>()).Order();
        Assert.Equal(["completed", "completed", "entered-in-error"], statuses);
    }

    [Fact]
    public async Task A_positive_screen_entered_in_error_retracts_the_relapse_it_caused()
    {
        var clinic = Requests.NewClinicId();
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic), DateTimeOffset.UtcNow.AddDays(-60));
        await CareJourneyTests.DetoxCompletedLongAgo(platform, patient, clinic, completedDaysAgo: 40);
        await CareJourneyTests.PositiveWeeklyScreens(platform, patient, clinic, weeks: 4, startedDaysAgo: 40);
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        Assert.NotNull((await CareJourneyTests.Ok(relapse.GetAsync($"/patients/{patient}/monitoring")))["monitorings"]![0]!["relapse"]);

        var timeline = await platform.TimelineWhen(patient, clinic, t => Kinds(t).Contains("relapse-detected"));
        var lastScreen = timeline["entries"]!.AsArray().Last(e => e!["kind"]!.GetValue<string>() == "urine-screen-recorded")!["eventId"]!.GetValue<Guid>();
        var corrected = await CareJourneyTests.Ok(relapse.Post($"/facts/{lastScreen}/amendment",
            new { reason = "the lab sent another patient's result", results = new { opiates = "negative", fentanyl = "negative" } }));
        Assert.Null(corrected["relapse"]);
        Assert.Equal("monitoring", corrected["status"]!.GetValue<string>());

        timeline = await platform.TimelineWhen(patient, clinic, t => Kinds(t).Contains("relapse-retracted"));
        Assert.Equal("amended", timeline["entries"]!.AsArray().Single(e => e!["eventId"]!.GetValue<Guid>() == lastScreen)!["correction"]!["kind"]!
            .GetValue<string>());
    }

    private static List<JsonNode> Doses(JsonNode timeline) =>
        timeline["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "dose-given").Select(e => e!).ToList();

    private static List<string> Kinds(JsonNode timeline) => timeline["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
}
