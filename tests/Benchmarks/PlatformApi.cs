using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Benchmarks;

/// <summary>The platform's public HTTP API, as an outside client sees it: a clinician's token per clinic.</summary>
public sealed class PlatformApi(HttpClient http, Uri assessment, Uri timeline, AccessTokens tokens)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    // The timeline answers a clinic with its own records: each patient is read as the clinic that registered them.
    private readonly ConcurrentDictionary<Guid, string> _clinicOf = new();

    public async Task<JsonNode> Post(string clinic, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(assessment, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = Bearer(clinic);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        var answer = JsonNode.Parse(text) ?? new JsonObject();
        if (path == "patients" && answer["patientId"] is { } patientId) _clinicOf[patientId.GetValue<Guid>()] = clinic;
        return answer;
    }

    /// <summary>The patient's timeline entry kinds, or none while the timeline does not know the patient yet.</summary>
    public async Task<IReadOnlyList<string>> TimelineKinds(Guid patientId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(timeline, $"patients/{patientId}/timeline"));
        request.Headers.Authorization = Bearer(_clinicOf[patientId]);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        var view = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return view["entries"]!.AsArray().Select(e => (string)e!["kind"]!).ToList();
    }

    /// <summary>The patient is read as this clinic (one whose records the patient has).</summary>
    public void ReadsAs(Guid patientId, string clinic) => _clinicOf[patientId] = clinic;

    /// <summary>One read of the patient's timeline with a query string (e.g. "?pageSize=50").</summary>
    public async Task<JsonNode> Timeline(Guid patientId, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(timeline, $"patients/{patientId}/timeline{query}"));
        request.Headers.Authorization = Bearer(_clinicOf[patientId]);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET timeline {patientId}{query}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Rebuilds a Timeline read model as an administrator and follows it: the events it applied and their rate.</summary>
    public async Task<(long Events, double EventsPerSecond)> Rebuild(string projection)
    {
        var admin = new AuthenticationHeaderValue("Bearer", tokens.Issue(null, Roles.Admin, "benchmark-admin"));
        var uri = new Uri(timeline, $"admin/projections/{projection}/rebuild");
        using (var start = new HttpRequestMessage(HttpMethod.Post, uri))
        {
            start.Headers.Authorization = admin;
            using var started = await http.SendAsync(start);
            if (!started.IsSuccessStatusCode) throw new InvalidOperationException($"POST {uri}: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
        }
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            using var poll = new HttpRequestMessage(HttpMethod.Get, uri);
            poll.Headers.Authorization = admin;
            using var response = await http.SendAsync(poll);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            switch ((string?)status["state"])
            {
                case "done": return ((long)status["events"]!, (double)status["eventsPerSecond"]!);
                case "failed": throw new InvalidOperationException($"rebuild of {projection} failed: {status["failure"]}");
            }
        }
        throw new TimeoutException($"rebuild of {projection} not done within 30 minutes");
    }

    private AuthenticationHeaderValue Bearer(string clinic) =>
        new("Bearer", _tokens.GetOrAdd(clinic, c => tokens.Issue(c, Roles.Clinician, $"benchmark@{c}")));
}
