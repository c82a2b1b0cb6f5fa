using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Recovery.Benchmarks;

/// <summary>The platform's public HTTP API, as an outside client sees it.</summary>
public sealed class PlatformApi(HttpClient http, Uri assessment, Uri timeline)
{
    public async Task<JsonNode> Post(string clinic, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(assessment, path)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Clinic-Id", clinic);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>The patient's timeline entry kinds, or none while the timeline does not know the patient yet.</summary>
    public async Task<IReadOnlyList<string>> TimelineKinds(Guid patientId)
    {
        using var response = await http.GetAsync(new Uri(timeline, $"patients/{patientId}/timeline"));
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        var view = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return view["entries"]!.AsArray().Select(e => (string)e!["kind"]!).ToList();
    }
}
