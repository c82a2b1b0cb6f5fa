using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Drafting;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class DraftingTests
{
    private static CompletedAssessment Completed(string severity = "severe", Guid? id = null) =>
        new() { Id = id ?? EpisodeId, PatientId = PatientId, Severity = severity, CompletedAt = Now.AddDays(-4) };

    private static readonly DraftPlan Draft = new(PlanId, PatientId, Medication.Buprenorphine, Schedule(Medication.Buprenorphine), Drafter, Now);

    [Fact]
    public void Drafts_a_plan_whose_episode_is_the_completed_assessment()
    {
        var drafted = Assert.IsType<DetoxPlanDrafted>(Assert.Single(PlanDrafting.Decide(Completed(), null, Draft).Events));
        Assert.Equal((PlanId, PatientId, EpisodeId, Medication.Buprenorphine, Drafter, Now),
            (drafted.PlanId, drafted.PatientId, drafted.EpisodeId, drafted.Medication, drafted.DraftedBy, drafted.DraftedAt));
        Assert.Equal(Schedule(Medication.Buprenorphine), drafted.Schedule);
    }

    [Fact]
    public void A_patient_without_a_completed_assessment_at_this_clinic_is_refused()
    {
        var error = PlanDrafting.Decide(null, null, Draft).Error!;
        Assert.Equal((ErrorKind.RuleBroken, "assessment-not-completed"), (error.Kind, error.Rule));
        Assert.Equal(PatientId, error.Values!["patientId"]);
    }

    [Theory]
    [InlineData("mild")]
    [InlineData("moderate")]
    [InlineData("severe")]
    public void Any_oud_severity_makes_a_patient_eligible(string severity) =>
        Assert.True(PlanDrafting.Decide(Completed(severity), null, Draft).IsAccepted);

    [Fact]
    public void An_assessment_without_an_oud_diagnosis_is_refused()
    {
        var error = PlanDrafting.Decide(Completed("none"), null, Draft).Error!;
        Assert.Equal((ErrorKind.RuleBroken, "no-oud-diagnosis"), (error.Kind, error.Rule));
        Assert.Equal("none", error.Values!["severity"]);
    }

    [Fact]
    public void A_second_open_plan_for_the_patient_is_a_conflict_naming_the_open_one()
    {
        var open = DetoxPlanEvolution.Fold([Drafted(Medication.Methadone)]);
        var error = PlanDrafting.Decide(Completed(), open, Draft with { PlanId = Guid.NewGuid() }).Error!;
        Assert.Equal((ErrorKind.Conflict, "detox-plan-open"), (error.Kind, error.Rule));
        Assert.Equal(PlanId, error.Values!["planId"]);
    }

    [Fact]
    public void A_plan_is_open_until_completed_or_dropped_out()
    {
        var plan = DetoxPlanEvolution.Fold([Drafted(Medication.Methadone)]);
        Assert.Equal(PatientId, plan.OpenForPatient);
        var closed = DetoxPlanEvolution.Evolve(plan, new Closing.DetoxDroppedOut(PlanId, PatientId, EpisodeId, Medication.Methadone,
            new DateOnly(2026, 11, 2), DropoutReason.Transferred, 0));
        Assert.Null(closed.OpenForPatient);
    }

    private static DraftPlanRequest Request(string? medication = "buprenorphine", List<DosePhaseRequest?>? schedule = null,
        Guid? patientId = null) =>
        new(patientId ?? PatientId, medication, schedule ?? [new("induction", 2, 12m), new("stabilisation", 14, 16m), new("taper", 14, 4m)]);

    [Fact]
    public void A_valid_request_reads_kebab_case_names() =>
        Assert.Equal(Medication.ExtendedReleaseNaltrexone,
            Request("extended-release-naltrexone", [new("induction", 1, 380m)]).Validate(PlanId, Now, Drafter).Value!.Medication);

    public static TheoryData<DraftPlanRequest, string> BadRequests => new()
    {
        { Request(medication: "heroin"), "medication" },
        { Request(medication: null), "medication" },
        { Request(patientId: Guid.Empty), "patientId" },
        { Request(schedule: []), "schedule" },
        { Request(schedule: [new("detox", 2, 12m)]), "schedule[0].phase" },
        { Request(schedule: [new("induction", 0, 12m)]), "schedule[0].days" },
        { Request(schedule: [new("induction", 366, 12m)]), "schedule[0].days" },
        { Request(schedule: [new("induction", null, 12m)]), "schedule[0].days" },
        { Request(schedule: [new("induction", 2, 0m)]), "schedule[0].dailyDoseMg" },
        { Request(schedule: [new("induction", 2, -4m)]), "schedule[0].dailyDoseMg" },
        { Request(schedule: [new("induction", 2, 33m)]), "schedule[0].dailyDoseMg" },
        { Request(schedule: [new("stabilisation", 2, 12m)]), "schedule" },
        { Request(schedule: [new("induction", 2, 12m), new("taper", 2, 8m), new("stabilisation", 2, 12m)]), "schedule" },
        { Request(schedule: [new("induction", 2, 12m), new("induction", 2, 12m)]), "schedule" },
        { Request(schedule: [null]), "schedule[0]" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_request_names_the_field(DraftPlanRequest request, string field)
    {
        var error = request.Validate(PlanId, Now, Drafter).Error!;
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains(field, error.Errors!.Keys);
    }

    [Theory]
    [InlineData("buprenorphine", 32, true)]
    [InlineData("buprenorphine", 32.5, false)]
    [InlineData("methadone", 400, true)]
    [InlineData("methadone", 401, false)]
    [InlineData("extended-release-naltrexone", 380, true)]
    public void Daily_doses_stay_within_each_medications_plausibility_ceiling(string medication, double mg, bool valid) =>
        Assert.Equal(valid, Request(medication, [new("induction", 1, (decimal)mg)]).Validate(PlanId, Now, Drafter).Error is null);
}
