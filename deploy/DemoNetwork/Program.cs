using System.Diagnostics;
using Recovery.BuildingBlocks.Http;
using Recovery.DemoNetwork;

// A realistic demo network, driven through the services' public HTTP APIs only:
//   dotnet run --project deploy/DemoNetwork -c Release -- [--clinics 3] [--patients 200] [--seed 1] [--concurrency 8]
//   dotnet run --project deploy/DemoNetwork -c Release -- token <clinic|-> <role> [user]   (prints a bearer token; deploy/token.sh)
if (args is ["token", var tokenClinic, var tokenRole, ..])
{
    Console.WriteLine(new AccessTokens(AuthOptions.FromEnvironment()).Issue(tokenClinic == "-" ? null : tokenClinic, tokenRole,
        args.Length > 3 ? args[3] : $"{tokenRole}@{tokenClinic}"));
    return 0;
}
var options = Options.Parse(args);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
var api = new PlatformClient(http, PlatformUrls.FromEnvironment(), new AccessTokens(AuthOptions.FromEnvironment()));
var clinics = Network.Clinics(options.Clinics);

Console.WriteLine($"Demo network: {options.Clinics} clinics ({string.Join(", ", clinics.Select(c => c.Id))}), " +
                  $"{options.Patients} patients, seed {options.Seed}");
await Setup.WaitUntilReady(api);
var groups = await Setup.HelpGroups(api, clinics);

var clock = Stopwatch.StartNew();
var results = new JourneyResult?[options.Patients];
var failures = new List<string>();
var next = -1;
var done = 0;
using (var progress = new Progress(options.Patients, () => Volatile.Read(ref done), clock))
{
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < options.Patients)
        {
            // Each patient has its own seeded randomness, so a seed gives the same network at any concurrency.
            var journey = new Journey(api, clinics, groups, new Random(Seeded(options.Seed, n)), n, options.Run);
            // Any failure ends that journey only; the run goes on and reports it.
            try { results[n] = await journey.Run(); }
            catch (Exception e)
            {
                lock (failures) failures.Add($"patient #{n}: {e.GetType().Name}: {e.Message}");
            }
            Interlocked.Increment(ref done);
        }
    }));
}
var driven = clock.Elapsed;
var journeys = results.OfType<JourneyResult>().ToList();
Console.WriteLine($"Drove {journeys.Count} journeys in {driven.TotalSeconds:F1} s ({journeys.Sum(j => j.Calls)} HTTP commands, " +
                  $"{journeys.Sum(j => j.Calls) / driven.TotalSeconds:F0}/s).");
if (api.UnavailableRetries > 0)
    Console.WriteLine($"Rode out {api.UnavailableRetries} calls to a service that was unavailable (refused connection, 503), " +
                      $"each tried again for up to {PlatformClient.RestartPatience.TotalSeconds:F0} s.");
if (failures.Count > 0) Console.WriteLine($"{failures.Count} of {options.Patients} journeys failed{(failures.Count > 10 ? " (the first 10)" : "")}:");
foreach (var failure in failures.Take(10)) Console.WriteLine($"  failed: {failure}");

try { await Summary.Print(api, journeys, clock); }
catch (Exception e)
{
    Console.WriteLine($"The summary could not be read back: {e.GetType().Name}: {e.Message}");
    return 1;
}
return failures.Count == 0 ? 0 : 1;

// HashCode.Combine is randomised per process; a seed must give the same journeys every time.
static int Seeded(int seed, int patient) => unchecked(seed * 1_000_003 + patient * 7919);
