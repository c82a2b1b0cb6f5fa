using System.Net;
using System.Text.Json.Nodes;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests;

/// <summary>Dosing safety over HTTP and the bus: the approved schedule and its changes, the intake's QTc and OTP admission.</summary>
[Collection(PlatformCollection.Name)]
public class DosingSafetyTests(Platform platform)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_dose_above_the_approved_schedule_is_refused_until_a_second_clinician_approves_a_schedule_change()
    {
        const string clinic = "clinic-north";
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var second = Platform.SecondClinician(platform.Detox, clinic);
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient(clinic));
        // Inducted two days and two hours ago: now is course day 3, the stabilisation phase at 16 mg a day.
        var start = Now.AddDays(-2).AddHours(-2);
        var at = await Inducted(detox, second, patient, start);

        var refused = await detox.Post($"{at}/doses", new { medication = "buprenorphine", doseMg = 20, givenAt = Now });
        var problem = await Refused(refused, "dose-above-plan");
        Assert.Equal((16m, 20m, "stabilisation"), (problem["values"]!["approvedDailyMg"]!.GetValue<decimal>(),
            problem["values"]!["dayTotalMg"]!.GetValue<decimal>(), problem["values"]!["phase"]!.GetValue<string>()));

        var drafted = await Ok(detox.Post($"{at}/schedule-changes", new
        {
            schedule = new[]
            {
                new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "stabilisation", days = 14, dailyDoseMg = 20m },
                new { phase = "taper", days = 14, dailyDoseMg = 4m },
            },
        }));
        var change = drafted["scheduleChanges"]!.AsArray().Single()!;
        Assert.Null(change["approvedBy"]);
        var approval = $"{at}/schedule-changes/{change["changeId"]}/approval";
        // Still refused while the change waits, and the clinician who drafted it cannot approve it.
        await Refused(await detox.Post($"{at}/doses", new { medication = "buprenorphine", doseMg = 20, givenAt = Now }), "dose-above-plan");
        await Refused(await detox.Post(approval, new { }), "second-clinician-required");

        var approved = await Ok(second.Post(approval, new { }));
        Assert.Equal($"second-clinician@{clinic}", approved["scheduleChanges"]![0]!["approvedBy"]!.GetValue<string>());
        Assert.Equal(20m, approved["nextDose"]!["maxWithoutOverrideMg"]!.GetValue<decimal>());

        // Given after the approval (a dose entered late, from before it, stays held to the old schedule).
        var dosed = await Ok(detox.Post($"{at}/doses", new { medication = "buprenorphine", doseMg = 20, givenAt = DateTimeOffset.UtcNow }));
        var dose = dosed["doses"]!.AsArray()[^1]!;
        Assert.Equal((20m, false), (dose["doseMg"]!.GetValue<decimal>(), dose["aboveCapOverride"]!.GetValue<bool>()));
        Assert.Equal(0m, dosed["nextDose"]!["maxWithoutOverrideMg"]!.GetValue<decimal>());

        // The change is published: the network timeline records the draft and the approval.
        var timeline = await platform.TimelineWhen(patient, clinic, t => Kinds(t).Contains("schedule-change-approved"));
        Assert.NotNull(timeline);
        Assert.Contains("schedule-change-drafted", Kinds(timeline));
    }

    [Fact]
    public async Task The_qtc_of_a_real_assessment_reaches_detox_over_the_bus_and_methadone_waits_for_its_acknowledgement()
    {
        const string clinic = "clinic-south";
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var second = Platform.SecondClinician(platform.Detox, clinic);
        var patient = await Assessed(platform.ClinicClient(clinic), qtcMs: 480,
            "craving", "tolerance", "withdrawal", "activities-given-up", "unsuccessful-efforts-to-cut-down");
        var at = await MethadonePlan(detox, second, patient);

        // Before trying: the plan tells what the first dose needs, with the QTc Detox learned from AssessmentCompleted.
        var plan = await Ok(detox.GetAsync(at));
        var need = plan["nextFirstDose"]!["needs"]!.AsArray().Single()!;
        Assert.Equal(("methadone-qtc-acknowledgement-required", 480), (need["rule"]!.GetValue<string>(), need["values"]!["qtcMs"]!.GetValue<int>()));

        var refused = await Refused(await detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 30, givenAt = Now }),
            "methadone-qtc-acknowledgement-required");
        Assert.Equal(480, refused["values"]!["qtcMs"]!.GetValue<int>());

        var dosed = await Ok(detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 30, givenAt = Now, qtcAcknowledged = true }));
        Assert.Equal(480, dosed["doses"]![0]!["acknowledgedQtcMs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Methadone_for_mild_oud_waits_for_the_prescribers_admission_basis()
    {
        const string clinic = "clinic-east";
        var detox = Platform.ClinicClient(platform.Detox, clinic);
        var second = Platform.SecondClinician(platform.Detox, clinic);
        var patient = await Assessed(platform.ClinicClient(clinic), qtcMs: 430, "craving", "tolerance", "withdrawal");
        var at = await MethadonePlan(detox, second, patient);

        var refused = await Refused(await detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 20, givenAt = Now }),
            "methadone-admission-justification-required");
        Assert.Equal("mild", refused["values"]!["severity"]!.GetValue<string>());

        var justified = await Ok(detox.Post($"{at}/admission-justification", new
        {
            basis = "high-risk-of-recurrence-or-overdose", reason = "Two non-fatal overdoses this year; fentanyl in the local supply",
        }));
        Assert.Equal(("high-risk-of-recurrence-or-overdose", "Two non-fatal overdoses this year; fentanyl in the local supply"),
            (justified["admissionJustification"]!["basis"]!.GetValue<string>(), justified["admissionJustification"]!["reason"]!.GetValue<string>()));
        await Ok(detox.Post($"{at}/doses", new { medication = "methadone", doseMg = 20, givenAt = Now }));
    }

    /// <summary>A buprenorphine plan (induction 2 days at 12 mg, stabilisation 14 days at 16 mg, taper) inducted with 8 mg at <paramref name="start"/>.</summary>
    private static async Task<string> Inducted(HttpClient detox, HttpClient second, Guid patient, DateTimeOffset start)
    {
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "buprenorphine", draftedAt = start.AddDays(-1),
            schedule = new[]
            {
                new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "stabilisation", days = 14, dailyDoseMg = 16m },
                new { phase = "taper", days = 14, dailyDoseMg = 4m },
            },
        }), "assessment-not-completed");
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var at = $"/detox-plans/{(await drafted.Json())["planId"]}";
        await Ok(second.Post($"{at}/approval", new { approvedAt = start.AddHours(-12) }));
        await Ok(detox.Post($"{at}/last-opioid-use", new { kind = "short-acting", usedAt = start.AddHours(-16) }));
        await Ok(detox.Post($"{at}/withdrawal-checks", new { scoredAt = start.AddMinutes(-20), items = Requests.CowsItems() }));
        await Ok(detox.Post($"{at}/doses", new { medication = "buprenorphine", doseMg = 8, givenAt = start }));
        return at;
    }

    private static async Task<string> MethadonePlan(HttpClient detox, HttpClient second, Guid patient)
    {
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "methadone", draftedAt = Now.AddHours(-3),
            schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 40m }, new { phase = "taper", days = 10, dailyDoseMg = 20m } },
        }), "assessment-not-completed");
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var at = $"/detox-plans/{(await drafted.Json())["planId"]}";
        await Ok(second.Post($"{at}/approval", new { approvedAt = Now.AddHours(-2) }));
        return at;
    }

    /// <summary>A new patient's assessment through the Assessment API, with the intake's QTc and the DSM-5 criteria given.</summary>
    private static async Task<Guid> Assessed(HttpClient assessment, int qtcMs, params string[] criteria)
    {
        var patient = (await Ok(assessment.Post("/patients", Requests.Patient(Requests.NewRecordNumber())), HttpStatusCode.Created))["patientId"]!
            .GetValue<Guid>();
        var at = $"/assessments/{(await Ok(assessment.Post($"/patients/{patient}/assessments", new { }), HttpStatusCode.Created))["assessmentId"]}";
        await Ok(assessment.Post($"{at}/criteria", Requests.Criteria(criteria)));
        foreach (var test in new[] { "hiv", "hepatitis-b", "hepatitis-c" }) await Ok(assessment.Post($"{at}/lab-results", Requests.Lab(test, "negative")));
        await Ok(assessment.Post($"{at}/cardiovascular-status", new
        {
            heartRate = 88, systolicBloodPressure = 128, diastolicBloodPressure = 82, qtcMilliseconds = qtcMs, conclusion = "abnormal-not-significant",
        }));
        await Ok(assessment.Post($"{at}/withdrawal-scores", Requests.Cows()));
        await Ok(assessment.Post($"{at}/completion", new { }));
        return patient;
    }

    private static async Task<JsonNode> Refused(HttpResponseMessage response, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (HttpStatusCode)422, $"{(int)response.StatusCode}: {body}");
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(rule, problem["rule"]!.GetValue<string>());
        return problem;
    }
}
