using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>An HTTP answer as a wait observes it: its status and body, which a failed wait shows.</summary>
public sealed record Reply(HttpStatusCode Status, string Body)
{
    public static async Task<Reply> Of(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public bool IsOk => Status == HttpStatusCode.OK;

    public JsonNode Json() => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public override string ToString() => $"{(int)Status} {Status}: {Body}";
}
