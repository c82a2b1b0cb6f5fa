using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Recovery.DemoNetwork;

/// <summary>What the network looks like now, read back from the services (relapse as the Relapse service derived it).</summary>
public static class Summary
{
    public static async Task Print(PlatformClient api, IReadOnlyList<JourneyResult> journeys, Stopwatch clock)
    {
        var (entries, caughtUpAt) = await TimelineCaughtUp(api, journeys, clock);
        var relapsed = new HashSet<Guid>();
        foreach (var j in journeys.Where(j => j.Monitored))
            if (Relapsed(await api.Get(api.Urls.Relapse, j.HomeClinic, $"patients/{j.PatientId}/monitoring")))
                relapsed.Add(j.PatientId);

        Console.WriteLine();
        Console.WriteLine($"Patients per stage ({journeys.Count} patients):");
        Console.WriteLine($"  assessed                 {journeys.Count,6}");
        Console.WriteLine($"  detox completed          {journeys.Count(j => j.DetoxOutcome == "completed"),6}");
        Console.WriteLine($"  left detox early         {journeys.Count(j => j.DetoxOutcome == "dropped-out"),6}");
        Console.WriteLine($"  monitored after detox    {journeys.Count(j => j.Monitored),6}");
        Console.WriteLine($"  relapsed (derived)       {relapsed.Count,6}");
        Console.WriteLine($"  returned to treatment    {journeys.Count(j => j.ReturnClinic is not null),6}" +
                          $"  ({journeys.Count(j => j.ReturnClinic is not null && j.ReturnClinic != j.HomeClinic)} at another clinic)");
        Console.WriteLine("Relapses by medication (derived by each clinic's relapse rule):");
        foreach (var group in journeys.Where(j => j.Monitored).GroupBy(j => j.Medication).OrderBy(g => g.Key))
        {
            var count = group.Count(j => relapsed.Contains(j.PatientId));
            Console.WriteLine($"  {group.Key,-28} {count,5} of {group.Count(),5} monitored ({100.0 * count / group.Count(),4:F0}%)");
        }
        Console.WriteLine($"Timeline (as each patient's first clinic sees it): {entries} entries for {journeys.Count} patients, all absorbed {caughtUpAt.TotalSeconds:F1} s after the start " +
                          $"({entries / caughtUpAt.TotalSeconds:F0} events/s).");

        Console.WriteLine("Where the time went (calls, mean, share of all call time):");
        var all = api.Times.Values.Sum(t => t.TotalMs);
        foreach (var (call, t) in api.Times.OrderByDescending(kv => kv.Value.TotalMs).Take(8))
            Console.WriteLine($"  {call,-58} {t.Count,7} {t.TotalMs / t.Count,8:F1} ms {100 * t.TotalMs / all,5:F1}%");

        var show = journeys.Where(j => j.ReturnClinic is not null && j.ReturnClinic != j.HomeClinic).Take(1)
            .Concat(journeys.Where(j => relapsed.Contains(j.PatientId)).Take(1))
            .Concat(journeys.Where(j => j.DetoxOutcome == "completed" && !relapsed.Contains(j.PatientId)).Take(1))
            .DistinctBy(j => j.PatientId).ToList();
        Console.WriteLine("Open a few timelines (as each patient's first clinic sees them; a consent shares the other clinics' records):");
        foreach (var j in show)
        {
            Console.WriteLine($"  curl -s -H \"Authorization: Bearer $(bash deploy/token.sh {j.HomeClinic} clinician)\" " +
                              $"{api.Urls.Timeline}patients/{j.PatientId}/timeline   # {Describe(j, relapsed)}");
            // The same journey in the web view (the token goes in the URL fragment, which the browser keeps to itself).
            Console.WriteLine($"  echo \"{api.Urls.Timeline}journey.html?patient={j.PatientId}#token=$(bash deploy/token.sh {j.HomeClinic} clinician)\"   # web view");
        }
        Console.WriteLine($"  echo \"{api.Urls.Timeline}outcomes.html#token=$(bash deploy/token.sh - analyst)\"   # the network's outcomes (analyst)");
        // The clinic workstation (the gateway): sign in as a clinician of the clinic, then open the patient.
        Console.WriteLine($"The clinic workstation: {api.Urls.Workstation}signin.html (development sign-in), then:");
        foreach (var j in show)
            Console.WriteLine($"  {api.Urls.Workstation}#/patient/{j.PatientId}/journey   # as a clinician of {j.HomeClinic}");
    }

    private static string Describe(JourneyResult j, HashSet<Guid> relapsed) =>
        $"{j.Medication} at {j.HomeClinic}, detox {j.DetoxOutcome}" + (relapsed.Contains(j.PatientId) ? ", relapsed" : "") +
        (j.ReturnClinic is { } back ? $", returned at {back}" : "");

    /// <summary>Whether a patient's monitoring view (Relapse service) holds a relapse the clinic's rule derived.</summary>
    public static bool Relapsed(JsonNode view) =>
        view["monitorings"]?.AsArray().Any(m => m?["relapse"] is JsonObject) ?? false;

    /// <summary>Polls every patient's timeline until the total stops growing: the timeline has absorbed every event.</summary>
    private static async Task<(int Entries, TimeSpan At)> TimelineCaughtUp(PlatformClient api, IReadOnlyList<JourneyResult> journeys, Stopwatch clock)
    {
        var last = -1;
        var lastChange = clock.Elapsed;
        while (true)
        {
            var total = 0;
            foreach (var chunk in journeys.Chunk(16))
                total += (await Task.WhenAll(chunk.Select(async j =>
                {
                    try { return (int)(await api.Get(api.Urls.Timeline, j.HomeClinic, $"patients/{j.PatientId}/timeline"))["entryCount"]!; }
                    catch (Refused r) when (r.Status == 404) { return 0; }
                }))).Sum();
            if (total == last) return (total, lastChange);
            if (total != last) lastChange = clock.Elapsed;
            last = total;
            await Task.Delay(1000);
        }
    }
}
