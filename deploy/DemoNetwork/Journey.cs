using System.Text.Json.Nodes;

namespace Recovery.DemoNetwork;

/// <summary>What the demo did for one patient; relapse itself is read back from the Relapse service.</summary>
public sealed record JourneyResult(Guid PatientId, string HomeClinic, string Medication, string DetoxOutcome, bool Monitored,
    string? ReturnClinic, int Calls);

/// <summary>
/// One patient's journey through the public APIs: intake, detox with one medication, counseling and groups,
/// weekly screens after detox, and for some a relapse and a return to treatment (sometimes at another clinic).
/// Clinical times are laid out in the past (the journey started weeks ago); each step is entered as a clinic would.
/// </summary>
public sealed class Journey(PlatformClient api, IReadOnlyList<Clinic> clinics, IReadOnlyDictionary<string, IReadOnlyList<HelpGroup>> groups,
    Random random, int index, string run)
{
    private static readonly string[] GivenNames = ["Ana", "Rui", "Maria", "João", "Inês", "Pedro", "Sofia", "Tiago", "Marta", "Nuno", "Carla", "Hugo"];
    private static readonly string[] FamilyNames = ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Gomes"];
    private static readonly string[] DsmCriteria =
    [
        "tolerance", "withdrawal", "craving", "unsuccessful-efforts-to-cut-down", "much-time-spent-obtaining-using-recovering",
        "larger-amounts-or-longer-than-intended", "activities-given-up", "use-despite-physical-or-psychological-harm",
        "failure-to-fulfil-major-obligations", "use-despite-social-problems", "use-in-hazardous-situations",
    ];
    private static readonly string[] DropoutReasons = ["stopped-attending", "stopped-attending", "left-against-advice", "transferred", "incarcerated", "hospitalised"];

    private readonly DateTime _today = DateTime.UtcNow.Date;
    private int _calls;
    private int _qtcMs;

    private Task<JsonNode> Post(Uri service, Clinic clinic, string path, object? body = null, string? user = null)
    {
        _calls++;
        return api.Post(service, clinic.Id, path, body ?? new { }, user);
    }

    public async Task<JourneyResult> Run()
    {
        var urls = api.Urls;
        var home = clinics[random.Next(clinics.Count)];

        // Registration and intake.
        var (givenName, familyName) = (Pick(GivenNames), Pick(FamilyNames));
        var dateOfBirth = new DateOnly(1966 + random.Next(38), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd");
        var sex = random.Next(10) < 7 ? "male" : "female";
        var patient = (Guid)(await Post(urls.Assessment, home, "patients", new
        {
            clinicRecordNumber = $"{home.Id[7..10].ToUpperInvariant()}-{run}-{index:D5}",
            givenName, familyName, dateOfBirth, sex,
            contact = new { phone = $"+351 9{random.Next(10_000_000, 99_999_999)}" },
        }))["patientId"]!;
        await Assess(home, patient, firstEpisode: true);

        // Detox: the clinic's physician drafts a plan, a second physician approves it.
        var medication = random.Next(100) switch { < 40 => "buprenorphine", < 80 => "methadone", _ => "extended-release-naltrexone" };
        var start = _today.AddDays(-random.Next(50, 150)).AddHours(9);
        var detoxDays = medication == "extended-release-naltrexone" ? 28 : random.Next(7, 22);
        var schedule = Schedule(medication, detoxDays);
        var plan = (Guid)(await PostOnceKnown(urls.Detox, home, "detox-plans", new
        {
            patientId = patient, medication, schedule = schedule.Select(p => new { phase = p.Phase, days = p.Days, dailyDoseMg = p.DailyDoseMg }),
            draftedAt = start.AddDays(-2),
        }, notYetRule: "assessment-not-completed"))["planId"]!;
        var at = $"detox-plans/{plan}";
        await Post(urls.Detox, home, $"{at}/approval", new { approvedAt = start.AddDays(-1) }, user: home.SecondPhysician);
        var dayTotals = new List<(int Day, decimal Mg)> { (1, await Induct(home, at, medication, start)) };

        // Counseling from the first week: an individual session and a help group.
        var group = groups[home.Id][random.Next(groups[home.Id].Count)];
        await PostOnceKnown(urls.Counseling, home, $"help-groups/{group.Id}/enrolments",
            new { patientId = patient, enrolledOn = Date(start) }, notYetRule: "patient-not-registered");
        await Counsel(home, patient, group, start, start.AddDays(detoxDays));

        // Doses through the detox, within the approved schedule and the titration limits; some missed. Extended-release
        // naltrexone is one injection for the 28 days.
        var dropout = random.Next(100) < 18;
        var lastDay = dropout ? random.Next(3, detoxDays) : detoxDays;
        for (var day = 1; day < lastDay && medication != "extended-release-naltrexone"; day += Math.Max(1, detoxDays / 6))
        {
            if (random.Next(100) < 8)
                await Post(urls.Detox, home, $"{at}/missed-doses", new { missedOn = Date(start.AddDays(day)) });
            else
            {
                // Given within 4 h of the hour of the first dose, so in course day day + 1 (24-hour periods from the first dose).
                var doseMg = MaintenanceDose(medication, schedule, dayTotals, day + 1);
                dayTotals.Add((day + 1, doseMg));
                await Post(urls.Detox, home, $"{at}/doses", new { medication, doseMg, givenAt = start.AddDays(day).AddMinutes(random.Next(240)) });
            }
        }
        var ended = start.AddDays(lastDay);
        if (dropout)
            await Post(urls.Detox, home, $"{at}/dropout", new { droppedOutOn = Date(ended), reason = Pick(DropoutReasons) });
        else
            await Post(urls.Detox, home, $"{at}/completion", new { completedOn = Date(ended) });

        // Relapse tracking: weekly screens from the end of detox until today.
        var relapseRisk = medication switch { "extended-release-naltrexone" => 40, "buprenorphine" => 30, _ => 25 } + (dropout ? 25 : 0);
        var relapsing = random.Next(100) < relapseRisk;
        var relapseWeek = random.Next(1, 8);
        var monitored = false;
        for (var week = 0; ended.AddDays(7 * week + 6) <= _today; week++)
        {
            var collectedOn = ended.AddDays(7 * week + random.Next(0, 5));
            var bad = relapsing && week >= relapseWeek;
            var results = bad
                ? (random.Next(100) < 60 ? Screen(opiates: random.Next(2) == 0, fentanyl: true, medication, collectedOn, ended) : NotCollected())
                : random.Next(100) < 7 ? NotCollected() : Screen(opiates: random.Next(100) < 4, fentanyl: false, medication, collectedOn, ended);
            var screen = new { collectedOn = Date(collectedOn), results };
            // The first screen may come before Relapse tracking has heard that the detox ended.
            if (monitored) await Post(urls.Relapse, home, $"patients/{patient}/urine-screens", screen);
            else await PostOnceKnown(urls.Relapse, home, $"patients/{patient}/urine-screens", screen, notYetRule: "patient-not-monitored");
            monitored = true;
            if (bad && random.Next(100) < 25)
                await Post(urls.Relapse, home, $"patients/{patient}/reported-use", new { substance = "heroin", usedOn = Date(collectedOn.AddDays(-1)) });
        }

        // Most patients consent to share their records with the network for treatment; one in seven does not.
        // Recorded late in the first episode, when the network record surely knows the patient at the clinic.
        var consents = index % 7 != 0;
        if (consents) await Consent(home, patient);

        // Return to treatment: some who relapsed come back, a third of them at another clinic.
        string? returnClinic = null;
        // Only a relapse the Relapse service derived from the screens counts, not what the demo intended.
        if (monitored && random.Next(100) < 55 && await Relapsed(home, patient))
        {
            var back = clinics.Count > 1 && random.Next(3) == 0 ? clinics.Where(c => c != home).ElementAt(random.Next(clinics.Count - 1)) : home;
            if (back != home)
            {
                // The first clinic gives the patient a link code to carry; the new clinic registers them with it.
                var linkCode = (string)(await Post(urls.Assessment, home, $"patients/{patient}/link-codes", new { }))["code"]!;
                await Post(urls.Assessment, back, "patients", new
                {
                    patientId = patient, linkCode, clinicRecordNumber = $"{back.Id[7..10].ToUpperInvariant()}-{run}-R{index:D5}",
                    givenName, familyName, dateOfBirth, sex,
                });
            }
            await Assess(back, patient, firstEpisode: false);
            if (consents && back != home) await Consent(back, patient);
            returnClinic = back.Id;
        }
        return new JourneyResult(patient, home.Id, medication, dropout ? "dropped-out" : "completed", monitored, returnClinic, _calls);
    }

    /// <summary>The clinic records the patient's consent once the network record knows the patient there.</summary>
    private Task Consent(Clinic clinic, Guid patient)
    {
        _calls++;
        return api.PostOnceKnown(api.Urls.Timeline, clinic.Id, $"patients/{patient}/consents", new { recipient = "network", purpose = "treatment" },
            notYetRule: "patient-not-found", patience: TimeSpan.FromSeconds(60));
    }

    private async Task Assess(Clinic clinic, Guid patient, bool firstEpisode)
    {
        var urls = api.Urls;
        var assessment = (Guid)(await Post(urls.Assessment, clinic, $"patients/{patient}/assessments"))["assessmentId"]!;
        var at = $"assessments/{assessment}";
        var criteria = DsmCriteria.OrderBy(_ => random.Next()).Take(random.Next(firstEpisode ? 4 : 6, 12)).ToArray();
        await Post(urls.Assessment, clinic, $"{at}/criteria", new { criteriaMet = criteria, onlyUnderMedicalSupervision = false });
        var tested = Date(_today.AddDays(-random.Next(0, 5)));
        await Post(urls.Assessment, clinic, $"{at}/lab-results", new { test = "hiv", result = random.Next(100) < 6 ? "positive" : "negative", testedOn = tested });
        await Post(urls.Assessment, clinic, $"{at}/lab-results", new { test = "hepatitis-b", result = random.Next(100) < 5 ? "positive" : "negative", testedOn = tested });
        await Post(urls.Assessment, clinic, $"{at}/lab-results", new { test = "hepatitis-c", result = random.Next(100) < 40 ? "positive" : "negative", testedOn = tested });
        var qtcMs = random.Next(390, 470);
        if (firstEpisode) _qtcMs = qtcMs;
        await Post(urls.Assessment, clinic, $"{at}/cardiovascular-status", new
        {
            heartRate = random.Next(62, 110), systolicBloodPressure = random.Next(105, 150), diastolicBloodPressure = random.Next(65, 95),
            qtcMilliseconds = qtcMs, conclusion = random.Next(100) < 90 ? "normal" : "abnormal-not-significant",
        });
        await Post(urls.Assessment, clinic, $"{at}/withdrawal-scores", new { items = Cows(atLeast: random.Next(6, 20)) });
        await Post(urls.Assessment, clinic, $"{at}/completion");
    }

    /// <summary>The steps each medication's induction rule asks for, then the first day's doses; answers the first day's total.</summary>
    private async Task<decimal> Induct(Clinic clinic, string at, string medication, DateTime start)
    {
        var detox = api.Urls.Detox;
        decimal dayOne;
        switch (medication)
        {
            case "buprenorphine":
                // In objective withdrawal (COWS >= 8), more than 12 h after heroin; day 1 within the 12 mg induction dose.
                await Post(detox, clinic, $"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-random.Next(13, 24)) });
                await Post(detox, clinic, $"{at}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Cows(atLeast: 9) });
                var firstMg = 4 + 2 * random.Next(3);
                await Post(detox, clinic, $"{at}/doses", new { medication, doseMg = firstMg, givenAt = start });
                await Post(detox, clinic, $"{at}/doses", new { medication, doseMg = 4, givenAt = start.AddHours(1) });
                dayOne = firstMg + 4;
                break;
            case "methadone":
                // 42 CFR 8.12: at most 30 mg first and 40 mg on day 1, unless the physician documents why. The intake's QTc
                // from 450 ms is acknowledged on the first dose (Krantz et al. 2009).
                await Post(detox, clinic, $"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-random.Next(6, 30)) });
                var above = random.Next(100) < 8;
                var first = above ? 35 : 10 + 5 * random.Next(5);
                await Post(detox, clinic, $"{at}/doses", new
                {
                    medication, doseMg = first, givenAt = start, qtcAcknowledged = _qtcMs >= 450,
                    overrideReason = above ? "High tolerance documented: daily use of 2 g street heroin; observed 3 h after dose" : null,
                });
                await Post(detox, clinic, $"{at}/doses", new { medication, doseMg = 5, givenAt = start.AddHours(4) });
                dayOne = first + 5;
                break;
            default:
                // At least 7 opioid-free days and a negative urine screen, collected after the last use, before the first injection.
                await Post(detox, clinic, $"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddDays(-random.Next(8, 12)) });
                await Post(detox, clinic, $"{at}/induction-urine-screens", new { opioidResult = "negative", collectedAt = start.AddHours(-2) });
                await Post(detox, clinic, $"{at}/doses", new { medication, doseMg = 380, givenAt = start });
                dayOne = 380;
                break;
        }
        await Post(detox, clinic, $"{at}/withdrawal-checks", new { scoredAt = start.AddDays(1), items = Cows(atLeast: random.Next(0, 6)) });
        return dayOne;
    }

    private async Task Counsel(Clinic clinic, Guid patient, HelpGroup group, DateTime from, DateTime until)
    {
        var counseling = api.Urls.Counseling;
        for (var day = from.AddDays(2); day < until.AddDays(21) && day < _today; day = day.AddDays(random.Next(5, 12)))
        {
            var scheduledFor = day.Date.AddHours(10 + random.Next(7));
            var session = (Guid)(await Post(counseling, clinic, "counseling-sessions", new
            {
                patientId = patient, scheduledFor, counselorId = clinic.Counselor, plannedDurationMinutes = 50,
            }))["sessionId"]!;
            if (random.Next(100) < 80)
                await Post(counseling, clinic, $"counseling-sessions/{session}/attendance", new
                {
                    attendedAt = scheduledFor, durationMinutes = 30 + 15 * random.Next(3), note = "Discussed triggers and a plan for weekends.",
                });
            else
                await Post(counseling, clinic, $"counseling-sessions/{session}/no-show");
        }
        var meeting = from.Date.AddDays(1);
        while (meeting.DayOfWeek != group.Day) meeting = meeting.AddDays(1);
        for (var n = 0; n < 4 && meeting < _today; n++, meeting = meeting.AddDays(7))
            await Post(counseling, clinic, $"help-groups/{group.Id}/meetings/{Date(meeting)}/{(random.Next(100) < 75 ? "attendance" : "absence")}",
                new { patientId = patient });
    }

    private static IReadOnlyList<SchedulePhase> Schedule(string medication, int days) => medication switch
    {
        "buprenorphine" => [new("induction", 2, 12), new("stabilisation", Math.Max(1, days / 2 - 2), 16), new("taper", days - days / 2, 8)],
        "methadone" => [new("induction", 3, 40), new("stabilisation", Math.Max(1, days / 2 - 3), 60), new("taper", days - days / 2, 30)],
        _ => [new("induction", 1, 380)], // one injection; the next is due after 4 weeks
    };

    /// <summary>The approved daily dose of course day <paramref name="day"/>; 0 after the schedule.</summary>
    private static decimal ApprovedOn(IReadOnlyList<SchedulePhase> schedule, int day)
    {
        var first = 1;
        foreach (var phase in schedule)
        {
            if (day < first + phase.Days) return phase.DailyDoseMg;
            first += phase.Days;
        }
        return 0;
    }

    /// <summary>
    /// A day's dose as a clinic would give it: at most the approved daily dose, and methadone titrated within the default
    /// limits (10 mg over the previous dosed day, 30 mg over the lowest of the 6 days before in the first 14 days).
    /// </summary>
    private decimal MaintenanceDose(string medication, IReadOnlyList<SchedulePhase> schedule, List<(int Day, decimal Mg)> totals, int day)
    {
        var approved = ApprovedOn(schedule, day);
        if (medication != "methadone") return Math.Min(8 + 2 * random.Next(5), approved);
        var limit = totals[^1].Mg + 10;
        if (day <= 14 && totals.Where(t => t.Day >= day - 6).Select(t => t.Mg).DefaultIfEmpty(decimal.MaxValue).Min() is var lowest && lowest < decimal.MaxValue)
            limit = Math.Min(limit, lowest + 30);
        return Math.Min(approved - 5 * random.Next(2), limit);
    }

    /// <summary>A COWS scoring on each item's own scale, with a total of at least <paramref name="atLeast"/>.</summary>
    private Dictionary<string, int> Cows(int atLeast)
    {
        var scales = new (string Item, int[] Allowed)[]
        {
            ("resting-pulse-rate", [0, 1, 2, 4]), ("sweating", [0, 1, 2, 3, 4]), ("restlessness", [0, 1, 3, 5]),
            ("pupil-size", [0, 1, 2, 5]), ("bone-or-joint-aches", [0, 1, 2, 4]), ("runny-nose-or-tearing", [0, 1, 2, 4]),
            ("gi-upset", [0, 1, 2, 3, 5]), ("tremor", [0, 1, 2, 4]), ("yawning", [0, 1, 2, 4]),
            ("anxiety-or-irritability", [0, 1, 2, 4]), ("gooseflesh-skin", [0, 3, 5]),
        };
        var scores = scales.ToDictionary(s => s.Item, _ => 0);
        while (scores.Values.Sum() < atLeast)
        {
            var (item, allowed) = scales[random.Next(scales.Length)];
            var next = allowed.FirstOrDefault(v => v > scores[item], -1);
            if (next >= 0) scores[item] = next;
        }
        return scores;
    }

    /// <summary>
    /// A panel after detox: the detox medication shows only while it leaves the body (the first days after the taper ends;
    /// relapse tracking reads it as prescribed for 7 days), since the patient no longer receives it.
    /// </summary>
    private static Dictionary<string, string> Screen(bool opiates, bool fentanyl, string medication, DateTime collectedOn, DateTime detoxEnded)
    {
        var leaving = collectedOn < detoxEnded.AddDays(5);
        return new()
        {
            ["opiates"] = opiates ? "positive" : "negative",
            ["fentanyl"] = fentanyl ? "positive" : "negative",
            ["methadone"] = medication == "methadone" && leaving ? "positive" : "negative",
            ["buprenorphine"] = medication == "buprenorphine" && leaving ? "positive" : "negative",
        };
    }

    private static Dictionary<string, string> NotCollected() => new() { ["opiates"] = "not-collected" };

    private async Task<bool> Relapsed(Clinic clinic, Guid patient)
    {
        _calls++;
        return Summary.Relapsed(await api.Get(api.Urls.Relapse, clinic.Id, $"patients/{patient}/monitoring"));
    }

    /// <summary>A command that needs a fact this service learns from the bus: retried until it has arrived.</summary>
    private Task<JsonNode> PostOnceKnown(Uri service, Clinic clinic, string path, object body, string notYetRule)
    {
        _calls++;
        return api.PostOnceKnown(service, clinic.Id, path, body, notYetRule);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Date(DateTime d) => d.ToString("yyyy-MM-dd");
}

public sealed record HelpGroup(Guid Id, string Name, DayOfWeek Day);

public sealed record SchedulePhase(string Phase, int Days, decimal DailyDoseMg);
