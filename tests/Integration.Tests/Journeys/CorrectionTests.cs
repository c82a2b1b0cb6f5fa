using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Telemetry;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;

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

    [Fact]
    public async Task A_no_show_entered_in_error_takes_back_its_missed_visit_and_the_correction_delivered_again_changes_nothing()
    {
        var clinic = Requests.NewClinicId();
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic), DateTimeOffset.UtcNow.AddDays(-30));
        await CareJourneyTests.DetoxCompletedLongAgo(platform, patient, clinic, completedDaysAgo: 10);
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        // A no-show counts as a missed visit only on a monitoring that has started.
        await Eventually.Until(() => Reply.Of(relapse.GetAsync($"/patients/{patient}/monitoring")), r => r.IsOk, condition: "the monitoring to start");
        var counseling = Platform.ClinicClient(platform.Counseling, clinic);
        var session = await CareJourneyTests.Ok(Eventually.Learned(() => counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = DateTimeOffset.UtcNow.AddHours(-3), counselorId = "counselor-1",
        }), "patient-not-registered"), HttpStatusCode.Created);
        await CareJourneyTests.Ok(counseling.Post($"/counseling-sessions/{session["sessionId"]}/no-show", new { }));

        var timeline = await platform.TimelineWhen(patient, clinic, t => Entry(t, "counseling-session-missed") is not null && Entry(t, "visit-missed") is not null);
        var noShow = Entry(timeline, "counseling-session-missed")!;
        var noShowId = noShow["eventId"]!.GetValue<Guid>();
        var visitId = Entry(timeline, "visit-missed")!["eventId"]!.GetValue<Guid>();
        // A fact of a stream that takes no corrections (the registration, beside the assessment that does) is not found as one.
        var registered = await platform.ClinicClient(clinic).Post($"/facts/{Entry(timeline, "patient-registered")!["eventId"]}/entered-in-error",
            new { reason = "wrong person" });
        Assert.Equal(HttpStatusCode.NotFound, registered.StatusCode);
        Assert.Equal("fact-not-found", (await registered.Json())["rule"]!.GetValue<string>());
        var visit = Assert.Single((await MissedVisits(relapse, patient)).AsArray());
        Assert.Equal(noShowId, visit!["sourceEventId"]!.GetValue<Guid>());

        await CareJourneyTests.Ok(counseling.Post($"/facts/{noShowId}/entered-in-error", new { reason = "the patient came; marked on the wrong session" }));
        // Relapse drops the visit and enters its own fact in error: the timeline strikes both, the outcomes leave both out.
        timeline = await platform.TimelineWhen(patient, clinic, t => Entry(t, "counseling-session-missed")!["correction"] is JsonObject &&
                                                                     Entry(t, "visit-missed")!["correction"] is JsonObject);
        Assert.Empty((await MissedVisits(relapse, patient)).AsArray());
        await Eventually.Until(() => Platform.Count(
                "select count(*) from timeline.mt_doc_patientoutcomes where id = @patient and data->'struck' @> jsonb_build_array(@noShow, @visit) " +
                "and position(@noShow in (data->'episodes')::text) = 0 and position(@visit in (data->'episodes')::text) = 0",
                ("patient", patient), ("noShow", noShowId.ToString()), ("visit", visitId.ToString())),
            n => n == 1, condition: "the outcomes to strike the no-show and the missed visit");

        // The same correction message once more, as a redelivery would bring it: both inboxes drop it, and nothing changes.
        noShow = Entry(timeline, "counseling-session-missed")!;
        var correction = new CorrectionsV1.FactEnteredInError(patient, clinic, noShow["episodeId"]?.GetValue<Guid>(),
            noShow["correction"]!["recordedAt"]!.GetValue<DateTimeOffset>(), noShowId, "counseling-session-missed");
        var correctionId = noShow["correction"]!["byEventId"]!.GetValue<Guid>();
        timeline = await platform.TimelineWhen(patient, clinic, _ => true);
        var monitoring = (await CareJourneyTests.Ok(relapse.GetAsync($"/patients/{patient}/monitoring")))["monitorings"]![0]!["monitoringId"]!.GetValue<Guid>();
        var monitoringEvents = await Platform.Count("select count(*) from relapse.mt_events where stream_id = @id", ("id", monitoring));
        var timelineEvents = await Platform.Count("select count(*) from timeline.mt_events where stream_id = @id", ("id", patient));
        using var measurements = new PlatformMeasurements();
        await platform.Counseling.Services.GetRequiredService<IBus>().Publish(correction, c => c.MessageId = correctionId);
        await Eventually.Until(() => (
                Timeline: measurements.Total(PlatformTelemetry.DuplicatesDropped, "consumer", c => c.StartsWith("timeline:", StringComparison.Ordinal)),
                Relapse: measurements.Total(PlatformTelemetry.DuplicatesDropped, "consumer", c => c == "relapse: DropMissedVisitOnFactEnteredInError")),
            dropped => dropped.Timeline >= 1 && dropped.Relapse >= 1, condition: "the timeline's and relapse tracking's inboxes to drop the copy");

        Assert.Equal(timeline.ToJsonString(), (await platform.TimelineWhen(patient, clinic, _ => true)).ToJsonString());
        Assert.Equal(monitoringEvents, await Platform.Count("select count(*) from relapse.mt_events where stream_id = @id", ("id", monitoring)));
        Assert.Equal(timelineEvents, await Platform.Count("select count(*) from timeline.mt_events where stream_id = @id", ("id", patient)));
        Assert.Empty((await MissedVisits(relapse, patient)).AsArray());
    }

    private static JsonNode? Entry(JsonNode timeline, string kind) =>
        timeline["entries"]!.AsArray().SingleOrDefault(e => e!["kind"]!.GetValue<string>() == kind);

    private static async Task<JsonNode> MissedVisits(HttpClient relapse, Guid patient) =>
        (await CareJourneyTests.Ok(relapse.GetAsync($"/patients/{patient}/monitoring")))["monitorings"]![0]!["missedVisits"]!;

    private static List<JsonNode> Doses(JsonNode timeline) =>
        timeline["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "dose-given").Select(e => e!).ToList();

    private static List<string> Kinds(JsonNode timeline) => timeline["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
}
