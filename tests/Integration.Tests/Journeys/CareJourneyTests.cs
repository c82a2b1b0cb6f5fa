using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>A patient's whole journey across the four care services, told only through their HTTP APIs and the bus.</summary>
[Collection(PlatformCollection.Name)]
public class CareJourneyTests(Platform platform)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Fact]
    public async Task A_whole_journey_across_the_four_services_ends_with_the_complete_timeline_in_order()
    {
        var north = platform.ClinicClient("clinic-north");
        // The journey is entered as it happened, weeks ago: intake 45 days ago, detox ending 30 days ago.
        var patient = await AssessmentJourneyTests.RegisterAndAssess(north, Now.AddDays(-45));
        await DetoxCompletedLongAgo(platform, patient, "clinic-north", completedDaysAgo: 30);

        // Counseling during detox: a session attended and a help group.
        var counseling = Platform.ClinicClient(platform.Counseling, "clinic-north");
        var session = await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(-35), counselorId = "counselor-1", plannedDurationMinutes = 50,
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/counseling-sessions/{session["sessionId"]}/attendance", new
        {
            attendedAt = Now.AddDays(-35), durationMinutes = 45, note = "Talked about the first week without heroin.",
        }));
        var cancelled = await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(-28), counselorId = "counselor-1",
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/counseling-sessions/{cancelled["sessionId"]}/cancellation", new { reason = "Counselor ill" }));
        var group = await Ok(counseling.Post("/help-groups", new
        {
            name = "Evening group " + Guid.NewGuid().ToString("N")[..6], meetingDays = new[] { Now.AddDays(-33).DayOfWeek.ToString().ToLowerInvariant() },
            meetingTime = "18:30", facilitatorId = "counselor-2",
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/help-groups/{group["groupId"]}/enrolments", new { patientId = patient, enrolledOn = Today.AddDays(-34) }));
        var attended = await Ok(counseling.Post($"/help-groups/{group["groupId"]}/meetings/{Today.AddDays(-33):yyyy-MM-dd}/attendance", new { patientId = patient }));
        // A command on the group answers with the member it is about; the roster, the list and the patient's groups agree.
        var member = attended["members"]!.AsArray().Single()!;
        Assert.Equal(patient, member["patientId"]!.GetValue<Guid>());
        Assert.Equal("attended", member["meetings"]!.AsArray().Single()!["presence"]!.GetValue<string>());
        var roster = await Ok(counseling.GetAsync($"/help-groups/{group["groupId"]}"));
        Assert.Equal(member.ToJsonString(), roster["members"]!.AsArray().Single()!.ToJsonString());
        var listed = (await Ok(counseling.GetAsync("/help-groups"))).AsArray().Single(g => g!["groupId"]!.GetValue<Guid>() == group["groupId"]!.GetValue<Guid>())!;
        Assert.Equal(1, listed["enrolledCount"]!.GetValue<int>());
        var groups = (await Ok(counseling.GetAsync($"/patients/{patient}/counseling")))["groups"]!.AsArray();
        Assert.Equal(group["groupId"]!.GetValue<Guid>(), groups.Single()!["groupId"]!.GetValue<Guid>());
        Assert.Equal(member["meetings"]!.ToJsonString(), groups.Single()!["meetings"]!.ToJsonString());

        // After detox: four weekly screens positive for fentanyl are a relapse under the default CTN-0094 rule.
        await PositiveWeeklyScreens(platform, patient, "clinic-north", weeks: 4, startedDaysAgo: 30);

        // The patient comes back to treatment at another clinic of the network.
        var south = platform.ClinicClient("clinic-south");
        Assert.Equal(HttpStatusCode.Created, (await south.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient))).StatusCode);
        var secondEpisode = (await Ok(south.Post($"/patients/{patient}/assessments", new { }), HttpStatusCode.Created))["assessmentId"]!.GetValue<Guid>();

        // North records the patient's consent to share its records with the network, so south sees the whole journey.
        var consent = await Ok(Platform.ClinicClient(platform.Timeline, "clinic-north")
            .Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment" }), HttpStatusCode.Created);
        var timeline = await platform.TimelineWhen(patient, "clinic-south", t => Kinds(t).Contains("returned-to-treatment"), TimeSpan.FromSeconds(60));
        Assert.NotNull(timeline);
        Assert.Equal(consent["id"]!.GetValue<Guid>(), timeline["sharedFrom"]!.AsArray().Single()!["consentId"]!.GetValue<Guid>());
        Assert.NotNull(timeline["redisclosureNotice"]);
        var kinds = Kinds(timeline);
        // Every step is there, in the order it happened.
        Assert.True(Ordered(kinds, "patient-registered", "assessment-completed", "detox-plan-drafted", "detox-plan-approved", "dose-given",
            "detox-completed", "relapse-detected", "patient-registered", "assessment-started", "returned-to-treatment"), string.Join(", ", kinds));
        Assert.True(Ordered(kinds, "detox-completed", "monitoring-started", "urine-screen-recorded"), string.Join(", ", kinds));
        foreach (var kind in new[] { "counseling-session-scheduled", "counseling-session-attended", "counseling-session-cancelled",
                     "help-group-enrolled", "help-group-meeting-attended",
                     "last-opioid-use-recorded", "detox-withdrawal-checked" })
            Assert.Contains(kind, kinds);
        Assert.Equal(4, kinds.Count(k => k == "urine-screen-recorded"));
        // Free text about the person stays in the service that recorded it.
        Assert.DoesNotContain("first week without heroin", timeline.ToJsonString());
        Assert.DoesNotContain("Counselor ill", timeline.ToJsonString());
        var times = timeline["entries"]!.AsArray().Select(e => e!["effectiveAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);

        // Grouped by episode: the first holds assessment, detox, counseling and relapse tracking; the return opens the second.
        var episodes = timeline["episodes"]!.AsArray();
        var first = episodes.Single(e => e!["services"]!.AsArray().Count == 4)!;
        Assert.Equal(["assessment", "counseling", "detox", "relapse"], first["services"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        Assert.Contains(episodes, e => e!["episodeId"]?.GetValue<Guid>() == secondEpisode && e["clinics"]!.AsArray()[0]!.GetValue<string>() == "clinic-south");
        Assert.Contains(timeline["entries"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "detox-completed" && e["episodeId"] is not null
            && e["service"]!.GetValue<string>() == "detox" && e["clinicId"]!.GetValue<string>() == "clinic-north");
    }

    [Fact]
    public async Task A_relapse_derived_from_screens_appears_on_the_timeline_at_the_fourth_bad_week_not_the_third()
    {
        var clinic = platform.ClinicClient("clinic-east");
        var patient = await AssessmentJourneyTests.RegisterAndAssess(clinic);
        await DetoxCompletedLongAgo(platform, patient, "clinic-east", completedDaysAgo: 40);

        await PositiveWeeklyScreens(platform, patient, "clinic-east", weeks: 3, startedDaysAgo: 40);
        var relapse = Platform.ClinicClient(platform.Relapse, "clinic-east");
        var monitoring = await Ok(relapse.GetAsync($"/patients/{patient}/monitoring"));
        Assert.Null(monitoring["monitorings"]![0]!["relapse"]);

        await Ok(relapse.Post($"/patients/{patient}/urine-screens", new
        {
            collectedOn = Today.AddDays(-40 + 22), results = new { opiates = "positive" },
        }));
        monitoring = await Ok(relapse.GetAsync($"/patients/{patient}/monitoring"));
        Assert.NotNull(monitoring["monitorings"]![0]!["relapse"]);

        var timeline = await platform.TimelineWhen(patient, "clinic-east", t => Kinds(t).Contains("relapse-detected"));
        Assert.NotNull(timeline);
        var entry = timeline["entries"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "relapse-detected")!;
        Assert.Equal("relapse", entry["service"]!.GetValue<string>());
        Assert.Contains("ctn-0094-return-to-use@1", entry["summary"]!.GetValue<string>());
        Assert.Equal(1, Kinds(timeline).Count(k => k == "relapse-detected"));
    }

    /// <summary>Drafts, approves and runs a buprenorphine detox that ended <paramref name="completedDaysAgo"/> days ago.</summary>
    internal static async Task<Guid> DetoxCompletedLongAgo(Platform platform, Guid patient, string clinicId, int completedDaysAgo)
    {
        var detox = Platform.ClinicClient(platform.Detox, clinicId);
        var approver = Platform.SecondClinician(platform.Detox, clinicId);
        var start = Now.AddDays(-completedDaysAgo - 8);
        // Detox learns of the completed assessment from the bus, a moment after it happened.
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "buprenorphine", draftedAt = start.AddDays(-2),
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
        }), "assessment-not-completed");
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var plan = (await drafted.Json())["planId"]!.GetValue<Guid>();
        var at = $"/detox-plans/{plan}";
        await Ok(approver.Post($"{at}/approval", new { approvedAt = start.AddDays(-1) }));
        await Ok(detox.Post($"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }));
        await Ok(detox.Post($"{at}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Requests.CowsItems() }));
        await Ok(detox.Post($"{at}/doses", new { medication = "buprenorphine", doseMg = 8, givenAt = start }));
        await Ok(detox.Post($"{at}/completion", new { completedOn = Today.AddDays(-completedDaysAgo) }));
        return plan;
    }

    /// <summary>Weekly screens from the start of monitoring, each positive for fentanyl.</summary>
    internal static async Task PositiveWeeklyScreens(Platform platform, Guid patient, string clinicId, int weeks, int startedDaysAgo)
    {
        var relapse = Platform.ClinicClient(platform.Relapse, clinicId);
        for (var week = 0; week < weeks; week++)
        {
            var screened = await Eventually.Learned(() => relapse.Post($"/patients/{patient}/urine-screens", new
            {
                collectedOn = Today.AddDays(-startedDaysAgo + 7 * week + 1),
                results = new Dictionary<string, string> { ["opiates"] = "negative", ["fentanyl"] = "positive", ["buprenorphine"] = "positive" },
            }), "patient-not-monitored");
            Assert.True(screened.IsSuccessStatusCode, await screened.Content.ReadAsStringAsync());
        }
    }

    internal static async Task<JsonNode> Ok(Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    internal static List<string> Kinds(JsonNode timeline) =>
        timeline["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();

    private static bool Ordered(List<string> kinds, params string[] expected)
    {
        var at = 0;
        foreach (var kind in kinds)
            if (at < expected.Length && kind == expected[at]) at++;
        return at == expected.Length;
    }
}
