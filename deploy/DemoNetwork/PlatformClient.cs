using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recovery.BuildingBlocks.Http;

namespace Recovery.DemoNetwork;

/// <summary>A refusal from a service: its status and the rule it named.</summary>
public sealed class Refused(string call, int status, string? rule, string body)
    : Exception($"{call}: {status} {rule}: {body}")
{
    public int Status { get; } = status;
    public string? Rule { get; } = rule;
}

/// <summary>The platform's public HTTP APIs, as any outside client sees them.</summary>
public sealed partial class PlatformClient(HttpClient http, PlatformUrls urls, AccessTokens tokens)
{
    private readonly ConcurrentDictionary<(string Clinic, string User), string> _tokens = new();

    public PlatformUrls Urls { get; } = urls;

    /// <summary>Time spent per kind of call ("POST detox-plans/{id}/doses"), to show where a run's time went.</summary>
    public ConcurrentDictionary<string, CallTimes> Times { get; } = new();

    /// <summary>A POST; retried like any careful client when another request changed the same record at that moment.</summary>
    /// <param name="user">The clinician acting (the token's user); the clinic's demo user when not given.</param>
    public async Task<JsonNode> Post(Uri service, string clinic, string path, object? body = null, string? user = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await Send(HttpMethod.Post, service, clinic, path, body, user); }
            catch (Refused r) when (r.Rule == "concurrent-change" && attempt < 5) { await Task.Delay(20 * attempt); }
        }
    }

    public Task<JsonNode> Put(Uri service, string clinic, string path, object body) => Send(HttpMethod.Put, service, clinic, path, body);

    public Task<JsonNode> Get(Uri service, string? clinic, string path) => Send(HttpMethod.Get, service, clinic, path, null);

    /// <summary>
    /// Services learn from each other through the bus, a moment after the fact: retry while the
    /// service still answers with <paramref name="notYetRule"/>.
    /// </summary>
    public async Task<JsonNode> PostOnceKnown(Uri service, string clinic, string path, object body, string notYetRule,
        TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        var started = Stopwatch.GetTimestamp();
        for (var delay = 20; ; delay = Math.Min(delay * 2, 500))
        {
            var attempt = Stopwatch.GetTimestamp();
            try
            {
                var answer = await Post(service, clinic, path, body);
                // Only the wait before the accepted attempt: the attempts themselves are counted as calls.
                Record($"waiting for the bus before POST {Template(path)}", started, until: attempt);
                return answer;
            }
            catch (Refused r) when (r.Rule == notYetRule && DateTime.UtcNow < deadline) { await Task.Delay(delay); }
        }
    }

    /// <summary>
    /// A careful client rides out a service's restart: a refused connection (nothing was sent) or a 503 is tried again,
    /// with backoff, for up to <see cref="RestartPatience"/>; a read also after a connection lost mid-answer, since
    /// reading twice changes nothing. A command whose connection broke after it was sent is not sent again (it may have
    /// been recorded): that journey fails and is reported.
    /// </summary>
    private async Task<JsonNode> Send(HttpMethod method, Uri service, string? clinic, string path, object? body, string? user = null)
    {
        var deadline = DateTime.UtcNow + RestartPatience;
        for (var delay = 100; ; delay = Math.Min(delay * 2, 2_000))
        {
            try { return await SendOnce(method, service, clinic, path, body, user); }
            catch (Exception e) when (Unavailable(e, method) && DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref _unavailable);
                await Task.Delay(delay);
            }
        }
    }

    /// <summary>How long a call waits for an unavailable service to come back before its journey fails.</summary>
    public static readonly TimeSpan RestartPatience = TimeSpan.FromSeconds(60);

    private int _unavailable;

    /// <summary>Calls tried again because their service was unavailable (refused the connection, 503, a read cut off).</summary>
    public int UnavailableRetries => Volatile.Read(ref _unavailable);

    private static bool Unavailable(Exception e, HttpMethod method) => e switch
    {
        Refused { Status: 503 } => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException => method == HttpMethod.Get,
        _ => false,
    };

    private async Task<JsonNode> SendOnce(HttpMethod method, Uri service, string? clinic, string path, object? body, string? user)
    {
        using var request = new HttpRequestMessage(method, new Uri(service, path));
        if (body is not null) request.Content = JsonContent.Create(body);
        if (clinic is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                _tokens.GetOrAdd((clinic, user ?? $"demo@{clinic}"), k => tokens.Issue(k.Clinic, Roles.Clinician, k.User)));
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Record($"{method} {Template(path)}", started);
        if (!response.IsSuccessStatusCode)
        {
            string? rule = null;
            try { rule = JsonNode.Parse(text)?["rule"]?.GetValue<string>(); } catch (System.Text.Json.JsonException) { }
            throw new Refused($"{method} {service}{path}", (int)response.StatusCode, rule, text);
        }
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    private void Record(string call, long started, long? until = null)
    {
        var ms = Stopwatch.GetElapsedTime(started, until ?? Stopwatch.GetTimestamp()).TotalMilliseconds;
        Times.AddOrUpdate(call, _ => new CallTimes(1, ms), (_, t) => new CallTimes(t.Count + 1, t.TotalMs + ms));
    }

    private static string Template(string path) => Dates().Replace(Ids().Replace(path, "{id}"), "{date}");

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Ids();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex Dates();
}

public sealed record CallTimes(int Count, double TotalMs);

public sealed record PlatformUrls(Uri Assessment, Uri Detox, Uri Counseling, Uri Relapse, Uri Timeline, Uri Workstation)
{
    public static PlatformUrls FromEnvironment()
    {
        static Uri Url(string name, int port) => new(Environment.GetEnvironmentVariable($"{name}_URL") ?? $"http://127.0.0.1:{port}/");
        return new PlatformUrls(Url("ASSESSMENT", 5101), Url("DETOX", 5103), Url("COUNSELING", 5104), Url("RELAPSE", 5105),
            Url("TIMELINE", 5102), Url("WORKSTATION", 5100));
    }
}
