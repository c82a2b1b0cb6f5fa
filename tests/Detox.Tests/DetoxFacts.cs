using Recovery.Clinical;
using Recovery.Detox.Approval;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Withdrawal;

namespace Recovery.Detox.Tests;

/// <summary>Events of one detox plan, to state the Given of a scenario briefly.</summary>
internal static class DetoxFacts
{
    public static readonly Guid PlanId = Guid.Parse("0190b000-0000-7000-8000-000000000001");
    public static readonly Guid PatientId = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    public static readonly Guid EpisodeId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    public const string Drafter = "dr-ada";
    public const string Approver = "dr-bo";
    public const string Nurse = "rn-cy";

    public static readonly InductionProtocol Protocol = new();

    /// <summary>The plan's episode as Detox learned it: severe OUD, a normal QTc of 420 ms.</summary>
    public static CompletedAssessment Assessment(int? qtcMs = 420, string severity = "severe", int criteria = 7) => new()
    {
        Id = EpisodeId, PatientId = PatientId, Severity = severity, CriteriaCounted = criteria, QtcMilliseconds = qtcMs,
        CardiovascularConclusion = "normal", CompletedAt = Now.AddDays(-4),
    };

    /// <summary>The default protocols and a normal assessment: what a decision reads besides the plan.</summary>
    public static readonly PlanNeeds Needs = new(Protocol, new DosingProtocol(), Assessment());

    public static Scenario<DetoxPlan> Scenario() => new(DetoxPlanEvolution.Fold);

    public static IReadOnlyList<DosePhase> Schedule(Medication medication) => medication switch
    {
        // Day 1 up to the 40 mg first-day cap, then room to titrate.
        Medication.Methadone => [new(SchedulePhase.Induction, 1, 40m), new(SchedulePhase.Stabilisation, 14, 60m), new(SchedulePhase.Taper, 14, 20m)],
        Medication.Buprenorphine => [new(SchedulePhase.Induction, 2, 12m), new(SchedulePhase.Stabilisation, 14, 16m), new(SchedulePhase.Taper, 14, 4m)],
        _ => [new(SchedulePhase.Induction, 1, 380m)],
    };

    public static DetoxPlanDrafted Drafted(Medication medication) =>
        new(PlanId, PatientId, EpisodeId, medication, Schedule(medication), Drafter, Now.AddDays(-3));

    public static DetoxPlanApproved Approved => new(PlanId, PatientId, EpisodeId, Approver, Now.AddDays(-3).AddHours(1));

    public static LastOpioidUseRecorded LastUse(OpioidKind kind, DateTimeOffset usedAt) => new(PlanId, PatientId, EpisodeId, kind, usedAt);

    public static InductionUrineScreenRecorded Screen(ScreenResult result, DateTimeOffset collectedAt) =>
        new(PlanId, PatientId, EpisodeId, result, collectedAt);

    public static WithdrawalChecked Cows(int total, DateTimeOffset scoredAt)
    {
        var items = ItemsTotalling(total);
        return new WithdrawalChecked(PlanId, PatientId, EpisodeId, scoredAt, items, total, Recovery.Clinical.Cows.BandOf(total));
    }

    /// <summary>Valid COWS item scores adding up to <paramref name="total"/>.</summary>
    public static Dictionary<CowsItem, int> ItemsTotalling(int total)
    {
        var items = new Dictionary<CowsItem, int>();
        var left = total;
        foreach (var item in Enum.GetValues<CowsItem>())
        {
            var score = Recovery.Clinical.Cows.AllowedScores[item].Where(s => s <= left).Max();
            items[item] = score;
            left -= score;
        }
        if (left != 0) throw new ArgumentOutOfRangeException(nameof(total));
        return items;
    }

    public static DoseGiven Given(Medication medication, decimal mg, DateTimeOffset at, bool first = false, string? overrideReason = null,
        IReadOnlyList<string>? overrides = null, int? acknowledgedQtcMs = null) =>
        new(PlanId, PatientId, EpisodeId, medication, mg, at, Nurse, first, overrideReason is null ? null : Sealing.Fake(overrideReason),
            overrides, acknowledgedQtcMs);

    public static GiveDose Dose(Medication medication, decimal mg, DateTimeOffset at, string? overrideReason = null, bool qtcAcknowledged = false) =>
        new(medication, mg, at, Nurse, overrideReason, qtcAcknowledged);
}
