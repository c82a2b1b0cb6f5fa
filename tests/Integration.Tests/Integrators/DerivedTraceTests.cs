using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// A fact a service derives from another service's message continues its cause's trace, as an integrator sees it on the
/// bus (the traceparent header MT-Activity-Id): a detox completion and the monitoring it starts, a no-show and the missed
/// visit it counts, are one trace each; unrelated patients never share one.
/// </summary>
[Collection(PlatformCollection.Name)]
public class DerivedTraceTests(Platform platform)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_derived_fact_is_published_in_the_trace_of_the_message_it_was_derived_from()
    {
        var (first, completedIn) = await CompletedInATrace("clinic-north");
        var (second, otherCompletedIn) = await CompletedInATrace("clinic-north");

        // A no-show after detox: relapse tracking counts it as a missed visit, in the no-show's trace.
        var counseling = Platform.ClinicClient(platform.Counseling, "clinic-north");
        var session = await Ok(Eventually.Learned(() => counseling.Post("/counseling-sessions", new
        {
            patientId = first, scheduledFor = DateTimeOffset.UtcNow.AddHours(-3), counselorId = "counselor-1",
        }), "patient-not-registered"), HttpStatusCode.Created);
        var noShowIn = ActivityTraceId.CreateRandom();
        await Ok(Traced(counseling, $"/counseling-sessions/{session["sessionId"]}/no-show", new { }, noShowIn));

        await using var history = await HistoryReader.Start("first", m => m.PatientId == first || m.PatientId == second);
        var kept = await history.Until(k => k.Count(m => m.Type == "MonitoringStarted") == 2 && k.Any(m => m.Type == "VisitMissed"),
            "both monitorings started and the missed visit");
        string TraceOf(string type, Guid patient) => kept.Single(m => m.Type == type && m.PatientId == patient).TraceId
            ?? throw new InvalidOperationException($"{type} of {patient} carries no MT-Activity-Id");

        Assert.Equal(completedIn.ToString(), TraceOf("DetoxCompleted", first));
        Assert.Equal(completedIn.ToString(), TraceOf("MonitoringStarted", first));
        Assert.Equal(noShowIn.ToString(), TraceOf("CounselingSessionMissed", first));
        Assert.Equal(noShowIn.ToString(), TraceOf("VisitMissed", first));
        Assert.Equal(otherCompletedIn.ToString(), TraceOf("MonitoringStarted", second));
        // Every fact of the two patients: one trace per request (or per cause), none shared between the two patients.
        var shared = kept.Where(m => m.PatientId == first).Select(m => m.TraceId)
            .Intersect(kept.Where(m => m.PatientId == second).Select(m => m.TraceId)).ToList();
        Assert.True(shared.Count == 0, $"traces shared by two unrelated patients: {string.Join(", ", shared)}");
    }

    /// <summary>An assessed patient whose detox is completed by a request in a trace of its own, which is returned.</summary>
    private async Task<(Guid Patient, ActivityTraceId Trace)> CompletedInATrace(string clinicId)
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinicId));
        var detox = Platform.ClinicClient(platform.Detox, clinicId);
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "buprenorphine", draftedAt = DateTimeOffset.UtcNow.AddDays(-12),
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
        }), "assessment-not-completed");
        var plan = (await Ok(Task.FromResult(drafted), HttpStatusCode.Created))["planId"]!.GetValue<Guid>();
        await Ok(Platform.SecondClinician(platform.Detox, clinicId).Post($"/detox-plans/{plan}/approval", new { approvedAt = DateTimeOffset.UtcNow.AddDays(-11) }));
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        await Ok(detox.Post($"/detox-plans/{plan}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }));
        await Ok(detox.Post($"/detox-plans/{plan}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Requests.CowsItems() }));
        await Ok(detox.Post($"/detox-plans/{plan}/doses", new { medication = "buprenorphine", doseMg = 8, givenAt = start }));
        var trace = ActivityTraceId.CreateRandom();
        await Ok(Traced(detox, $"/detox-plans/{plan}/completion", new { completedOn = Today.AddDays(-1) }, trace));
        return (patient, trace);
    }

    /// <summary>A POST that starts its own trace, as a clinic's client that propagates W3C trace context does.</summary>
    private static Task<HttpResponseMessage> Traced(HttpClient client, string url, object body, ActivityTraceId trace)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Platform.Json) };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        return client.SendAsync(request);
    }
}
