using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Testing;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// What the platform publishes is what its AsyncAPI document says: every message this test run published (read back from
/// the history stream) validates against its message's schema with a JSON Schema validator, so a field the document does
/// not list, a wrong type or a value off its list fails. A journey of this test publishes every contract type once at least.
/// </summary>
[Collection(PlatformCollection.Name)]
public class SchemaConformanceTests(Platform platform)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>When this test process started: messages before it were published by other runs, perhaps of other contracts.</summary>
    private static readonly DateTimeOffset RunStarted = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    [Fact]
    public async Task Every_message_published_in_this_run_matches_its_schema_in_the_AsyncAPI_document()
    {
        var clinic = "clinic-schema-" + Guid.NewGuid().ToString("N")[..6];
        await EveryContractPublished(clinic);

        await using var history = await HistoryReader.Start(new AmqpTimestamp(RunStarted.ToUnixTimeSeconds()),
            m => m.Envelope["sentTime"]!.GetValue<DateTimeOffset>() >= RunStarted);
        var contracts = ContractEvents.All.Select(t => t.Name).ToHashSet();
        var published = await history.Until(kept => contracts.IsSubsetOf(kept.Where(m => ClinicOf(m) == clinic).Select(m => m.Type)),
            $"every contract type from {clinic}", TimeSpan.FromSeconds(60));

        var violations = published
            .SelectMany(m => ContractSchemas.Violations(m.Envelope).Concat(HeadersApart(m)).Select(v => $"{m.Type} {m.MessageId}: {v}"))
            .ToList();
        Assert.True(violations.Count == 0, $"{violations.Count} violations in {published.Count} messages:\n{string.Join("\n", violations.Take(40))}" +
            $"\nthe first: {published.FirstOrDefault(m => ContractSchemas.Violations(m.Envelope).Count > 0)?.Envelope.ToJsonString()}");
    }

    [Fact]
    public async Task The_Timeline_serves_the_document_to_anyone_without_a_token()
    {
        var response = await platform.Timeline.CreateClient().GetAsync("/asyncapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AsyncApiDocument.ToJson(), await response.Content.ReadAsStringAsync());
    }

    private static string? ClinicOf(Delivered m) => m.Envelope["message"]?["clinicId"]?.GetValue<string>();

    /// <summary>The platform's headers travel twice, in the envelope and as AMQP headers: the two must agree.</summary>
    private static IEnumerable<string> HeadersApart(Delivered m)
    {
        foreach (var name in new[] { "recovery-clinic", "recovery-source-sequence", "MT-Activity-Id" })
        {
            var amqp = Broker.Header(m.Properties, name)?.ToString();
            var envelope = m.Envelope["headers"]?[name]?.ToString();
            if (amqp != envelope) yield return $"header {name}: AMQP {amqp ?? "none"}, envelope {envelope ?? "none"}";
        }
    }

    /// <summary>
    /// A registration entered in error, and two patients at a clinic of their own (its relapse rule changes): one dropped out of a detox with every detox, counseling,
    /// relapse and sharing fact along the way, the other completed it.
    /// </summary>
    private async Task EveryContractPublished(string clinic)
    {
        var relapse = Platform.ClinicClient(platform.Relapse, clinic);
        await Ok(relapse.SendAsync(Put("/relapse-rule", new { rule = "any-positive-after-detox@1" })));

        // A registration entered in error before any care (a wrong link).
        var mistaken = await Ok(platform.ClinicClient(clinic).Post("/patients", new
        {
            clinicRecordNumber = "WRONG-1", givenName = "Ana", familyName = "Erro", dateOfBirth = "1980-01-01", sex = "female",
        }), HttpStatusCode.Created);
        await Ok(platform.ClinicClient(clinic).Post($"/registrations/{mistaken["id"]}/entered-in-error", new { reason = "another person" }));

        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var start = Now.AddDays(-10);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "methadone", draftedAt = start.AddDays(-2),
            schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 30m }, new { phase = "taper", days = 10, dailyDoseMg = 10m } },
        }), "assessment-not-completed");
        var plan = $"/detox-plans/{(await Ok(Task.FromResult(drafted), HttpStatusCode.Created))["planId"]}";
        await Ok(Platform.SecondClinician(platform.Detox, clinic).Post($"{plan}/approval", new { approvedAt = start.AddDays(-1) }));
        await Ok(detox.Post($"{plan}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }));
        await Ok(detox.Post($"{plan}/induction-urine-screens", new { opioidResult = "positive", collectedAt = start.AddHours(-2) }));
        await Ok(detox.Post($"{plan}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Requests.CowsItems() }));
        await Ok(detox.Post($"{plan}/doses", new { medication = "methadone", doseMg = 20.5m, givenAt = start }));
        await Ok(detox.Post($"{plan}/missed-doses", new { missedOn = DateOnly.FromDateTime(start.AddDays(1).UtcDateTime) }));
        await Ok(detox.Post($"{plan}/admission-justification", new { basis = "high-risk-of-recurrence-or-overdose", reason = "overdose last month" }));
        var change = (await Ok(detox.Post($"{plan}/schedule-changes", new
        {
            schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 30m }, new { phase = "taper", days = 14, dailyDoseMg = 10m } },
        })))["scheduleChanges"]!.AsArray().Single()!["changeId"];
        await Ok(Platform.SecondClinician(platform.Detox, clinic).Post($"{plan}/schedule-changes/{change}/approval", new { }));
        await Ok(detox.Post($"{plan}/medication-switch", new
        {
            toMedication = "buprenorphine", reason = "QTc prolonged",
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
        }));
        await Ok(detox.Post($"{plan}/dropout", new { droppedOutOn = Today.AddDays(-3), reason = "stopped-attending" }));

        // Monitoring began at the dropout: a positive screen is a relapse under the clinic's rule; use reported; visits missed.
        var screened = await Eventually.Learned(() => relapse.Post($"/patients/{patient}/urine-screens", new
        {
            collectedOn = Today.AddDays(-2), results = new Dictionary<string, string> { ["opiates"] = "negative", ["fentanyl"] = "positive" },
        }), "patient-not-monitored");
        Assert.True(screened.IsSuccessStatusCode, await screened.Content.ReadAsStringAsync());
        await Ok(relapse.Post($"/patients/{patient}/reported-use", new { substance = "heroin", usedOn = Today.AddDays(-2) }));
        // A correction: the report was entered on the wrong day, so it is marked entered in error and recorded again.
        var reports = await platform.TimelineWhen(patient, clinic, t => t["entries"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "use-self-reported"));
        var report = reports["entries"]!.AsArray().First(e => e!["kind"]!.GetValue<string>() == "use-self-reported")!["eventId"];
        await Ok(relapse.Post($"/facts/{report}/entered-in-error", new { reason = "entered on the wrong day" }));
        await Ok(relapse.Post($"/patients/{patient}/reported-use", new { substance = "fentanyl", usedOn = Today.AddDays(-2) }));

        var counseling = Platform.ClinicClient(platform.Counseling, clinic);
        var missed = await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(-2), counselorId = "counselor-1",
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/counseling-sessions/{missed["sessionId"]}/no-show", new { }));
        var attended = await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(-1), counselorId = "counselor-1",
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/counseling-sessions/{attended["sessionId"]}/attendance", new { attendedAt = Now.AddDays(-1), durationMinutes = 40 }));
        var cancelled = await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(3), counselorId = "counselor-1",
        }), HttpStatusCode.Created);
        await Ok(counseling.Post($"/counseling-sessions/{cancelled["sessionId"]}/cancellation", new { reason = "Counselor ill" }));
        var meeting = Today.AddDays(-1);
        var group = await Ok(counseling.Post("/help-groups", new
        {
            name = "Group " + Guid.NewGuid().ToString("N")[..6], meetingDays = new[] { meeting.DayOfWeek.ToString().ToLowerInvariant() },
            meetingTime = "18:30", facilitatorId = "counselor-2",
        }), HttpStatusCode.Created);
        var meetings = $"/help-groups/{group["groupId"]}/meetings";
        await Ok(counseling.Post($"/help-groups/{group["groupId"]}/enrolments", new { patientId = patient, enrolledOn = meeting.AddDays(-8) }));
        await Ok(counseling.Post($"{meetings}/{meeting.AddDays(-7):yyyy-MM-dd}/attendance", new { patientId = patient }));
        await Ok(counseling.Post($"{meetings}/{meeting:yyyy-MM-dd}/absence", new { patientId = patient }));

        // The clinic changes its rule: the relapse found under the old one is retracted.
        await Ok(relapse.SendAsync(Put("/relapse-rule", new { rule = "ctn-0094-return-to-use@1" })));
        await WhenMissedVisitsArrived(relapse, patient);
        await Ok(relapse.Post("/monitorings/recomputation", new { }));

        // The patient returns to treatment; consents come and go; at last the person asks to be forgotten.
        await Ok(platform.ClinicClient(clinic).Post($"/patients/{patient}/assessments", new { }), HttpStatusCode.Created);
        var timeline = Platform.ClinicClient(platform.Timeline, clinic);
        var consent = await Ok(timeline.Post($"/patients/{patient}/consents", new { recipient = "network", purpose = "treatment" }), HttpStatusCode.Created);
        await Ok(timeline.Post($"/patients/{patient}/consents/{consent["id"]}/revocation", new { }));
        var erased = await Platform.ClinicClient(platform.Timeline, clinic, Roles.Admin).Post($"/patients/{patient}/erasure", new { });
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);

        var completing = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        await DetoxCompletedLongAgo(platform, completing, clinic, completedDaysAgo: 3);
    }

    /// <summary>Both missed visits must reach the monitoring before the return to treatment closes it.</summary>
    private static async Task WhenMissedVisitsArrived(HttpClient relapse, Guid patient)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonNode? monitoring = null;
        while (DateTime.UtcNow < deadline)
        {
            monitoring = await Ok(relapse.GetAsync($"/patients/{patient}/monitoring"));
            if (monitoring["monitorings"]![0]!["missedVisits"]!.AsArray().Count >= 2) return;
            await Task.Delay(100);
        }
        Assert.Fail($"relapse tracking did not learn of both missed visits within 30 s: {monitoring?.ToJsonString()}");
    }

    private static HttpRequestMessage Put(string url, object body) =>
        new(HttpMethod.Put, url) { Content = System.Net.Http.Json.JsonContent.Create(body, options: Platform.Json) };
}
