using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>
/// The one wait of the integration tests: polls an observation until a condition holds of it. When the condition has not
/// held by the deadline the test fails, naming the condition, how long it waited and what it saw last.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);
    private const int LongestShown = 4_000; // a whole timeline would bury the message

    /// <summary>
    /// Observes until <paramref name="holds"/> is true of the observation, and returns that observation; fails the test
    /// with the last one at <paramref name="within"/> (30 s unless told), looking <paramref name="every"/> 50 ms unless told.
    /// <paramref name="condition"/> names the wait in the failure (the source text of <paramref name="holds"/> unless told);
    /// <paramref name="describe"/> writes an observation (its ToString unless told).
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> observe, Func<T, bool> holds, TimeSpan? within = null,
        Func<T, string>? describe = null, [CallerArgumentExpression(nameof(holds))] string condition = "", TimeSpan? every = null)
    {
        var deadline = within ?? DefaultWithin;
        var waited = Stopwatch.StartNew();
        for (var polls = 1; ; polls++)
        {
            var observed = await observe();
            if (holds(observed)) return observed;
            if (waited.Elapsed >= deadline)
                Assert.Fail($"Waited {waited.Elapsed.TotalSeconds:F1} s ({polls} polls) for {condition}; it never held. " +
                            $"Last observation: {Shorten(describe is null ? Describe(observed) : describe(observed))}");
            await Task.Delay(every ?? DefaultEvery);
        }
    }

    /// <summary>As <see cref="Until{T}(Func{Task{T}}, Func{T, bool}, TimeSpan?, Func{T, string}?, string, TimeSpan?)"/>, for what the test itself holds.</summary>
    public static Task<T> Until<T>(Func<T> observe, Func<T, bool> holds, TimeSpan? within = null,
        Func<T, string>? describe = null, [CallerArgumentExpression(nameof(holds))] string condition = "", TimeSpan? every = null) =>
        Until(() => Task.FromResult(observe()), holds, within, describe, condition, every);

    /// <summary>
    /// Sends <paramref name="call"/> until the service has learned from the bus what the command needs: while it refuses
    /// with <paramref name="notYetRule"/>. Returns the first other answer, success or not.
    /// </summary>
    public static async Task<HttpResponseMessage> Learned(Func<Task<HttpResponseMessage>> call, string notYetRule, TimeSpan? within = null)
    {
        var (response, _) = await Until(async () =>
            {
                var answer = await call();
                return (Response: answer, Body: await answer.Content.ReadAsStringAsync());
            },
            a => a.Response.IsSuccessStatusCode || !a.Body.Contains($"\"rule\":\"{notYetRule}\"", StringComparison.Ordinal),
            within, a => $"{(int)a.Response.StatusCode} {a.Body}", condition: $"an answer other than {notYetRule}");
        return response;
    }

    private static string Describe<T>(T observed) => observed switch
    {
        null => "null",
        JsonNode json => json.ToJsonString(),
        _ => observed.ToString() ?? "",
    };

    private static string Shorten(string text) =>
        text.Length <= LongestShown ? text : $"{text[..LongestShown]}… ({text.Length - LongestShown} more characters)";
}
