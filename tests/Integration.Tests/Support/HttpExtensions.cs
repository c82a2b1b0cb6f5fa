using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

public static class HttpExtensions
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Platform.Json);
}
