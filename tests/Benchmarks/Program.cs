using Recovery.BuildingBlocks.Http;
using Recovery.Benchmarks;

// dotnet run --project tests/Benchmarks -c Release -- freshness [--patients 200] [--concurrency 1] [--warmup 10]
// dotnet run --project tests/Benchmarks -c Release -- load [--concurrency 8] [--seconds 60] [--readers 32]
// dotnet run --project tests/Benchmarks -c Release -- mix [--concurrency 16] [--seconds 60] [--clinics 3] [--rate R]
// dotnet run --project tests/Benchmarks -c Release -- journeys [--readers 32] [--save FILE] [--before FILE]
// dotnet run --project tests/Benchmarks -c Release -- analytics --seed 100000 [--reuse] [--calls 7] [--save DIR] [--only a,b] [--timeline URL]
// dotnet run --project tests/Benchmarks -c Release -- idle [--seconds 60]   (the services of deploy/services.sh, PORT_BASE as started)
var options = BenchmarkOptions.Parse(args);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var tokens = new AccessTokens(AuthOptions.FromEnvironment());
var api = new PlatformApi(http, options.AssessmentUrl, options.TimelineUrl, tokens);

switch (options.Benchmark)
{
    case "freshness":
        await Freshness.Run(api, options);
        return 0;
    case "load":
        await Load.Run(api, options);
        return 0;
    case "mix":
        await Mix.Run(options, args);
        return 0;
    case "idle":
        return await Idle.Run(options);
    case "journeys":
        await Journeys.Run(api, options, args);
        return 0;
    case "analytics":
        await Analytics.Run(options, args, tokens);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{options.Benchmark}'; known: freshness, load, mix, journeys, analytics, idle");
        return 2;
}
