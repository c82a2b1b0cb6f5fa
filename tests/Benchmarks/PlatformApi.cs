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

    private AuthenticationHeaderValue Bearer(string clinic) =>
        new("Bearer", _tokens.GetOrAdd(clinic, c => tokens.Issue(c, Roles.Clinician, $"benchmark@{c}")));
}
