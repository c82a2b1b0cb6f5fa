using System.Diagnostics;

namespace Recovery.Benchmarks;

/// <summary>
/// Timeline freshness: the time from the HTTP call that completes an assessment (request sent) to the
/// completion being visible on the patient's timeline, observed by polling the Timeline API every 2 ms.
/// It spans the append, the forwarder's daemon poll, RabbitMQ, the consumer's inbox transaction and the projection.
/// </summary>
public static class Freshness
{
    public static async Task Run(PlatformApi api, BenchmarkOptions options)
    {
        Console.WriteLine($"freshness: {options.Patients} patients ({options.Warmup} warm-up not counted), concurrency {options.Concurrency}");
        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        await Measure(api, options.Warmup, 1, $"W{run}");

        var clock = Stopwatch.StartNew();
        var (completion, visible) = await Measure(api, options.Patients, options.Concurrency, $"B{run}");
        Console.WriteLine($"  completion call  {Stats.Describe(completion)}");
        Console.WriteLine($"  call → timeline  {Stats.Describe(visible)}");
        Console.WriteLine($"  {options.Patients} full assessments in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<(List<double> Completion, List<double> Visible)> Measure(PlatformApi api, int patients, int concurrency, string prefix)
    {
        var completion = new List<double>();
        var visible = new List<double>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < patients)
            {
                var (callMs, visibleMs) = await OnePatient(api, $"{prefix}-{n}", n % 2 == 0 ? "clinic-north" : "clinic-south");
                lock (visible) { completion.Add(callMs); visible.Add(visibleMs); }
            }
        }));
        return (completion, visible);
    }

    private static async Task<(double CallMs, double VisibleMs)> OnePatient(PlatformApi api, string recordNumber, string clinic)
    {
        var patient = (Guid)(await api.Post(clinic, "patients", new
        {
            clinicRecordNumber = recordNumber, givenName = "Bench", familyName = recordNumber,
            dateOfBirth = "1988-04-02", sex = "female", contact = new { phone = "+351 210 000 000" },
        }))["patientId"]!;
        var assessment = (Guid)(await api.Post(clinic, $"patients/{patient}/assessments", new { }))["assessmentId"]!;
        var path = $"assessments/{assessment}";
        await api.Post(clinic, $"{path}/criteria", new { criteriaMet = new[] { "craving", "tolerance", "withdrawal", "activities-given-up" }, onlyUnderMedicalSupervision = false });
        foreach (var test in new[] { "hiv", "hepatitis-b", "hepatitis-c" })
            await api.Post(clinic, $"{path}/lab-results", new { test, result = "negative", testedOn = DateTime.UtcNow.ToString("yyyy-MM-dd") });
        await api.Post(clinic, $"{path}/cardiovascular-status", new { heartRate = 92, systolicBloodPressure = 128, diastolicBloodPressure = 82, qtcMilliseconds = 430, conclusion = "normal" });

        var sent = Stopwatch.GetTimestamp();
        await api.Post(clinic, $"{path}/completion", new { });
        var callMs = Stats.Ms(sent);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await api.TimelineKinds(patient)).Contains("assessment-completed"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"patient {patient}: completion not on the timeline after 30 s");
            await Task.Delay(2);
        }
        return (callMs, Stats.Ms(sent));
    }
}
