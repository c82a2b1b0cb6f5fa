using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Detox.Admission;
using Recovery.Detox.Dosing;
using Recovery.Detox.Induction;

namespace Recovery.Detox.Plans;

/// <summary>One thing the next first dose still needs: the rule it would break now, and the values.</summary>
public sealed record InductionNeed(string Rule, string Detail, IReadOnlyDictionary<string, object?>? Values);

/// <summary>The induction ahead (the first dose of the current medication), judged as if given now.</summary>
public sealed record NextFirstDose(Medication Medication, bool ReadyNow, IReadOnlyList<InductionNeed> Needs, IReadOnlyList<string> Limits)
{
    public static NextFirstDose? Of(DetoxPlan plan, PlanNeeds needs, DateTimeOffset now)
    {
        if (!plan.IsOpen || plan.CourseFirstDose() is not null) return null;
        var unmet = new List<DomainError>();
        if (PlanRules.MustBeApproved(plan) is { } approval) unmet.Add(approval);
        unmet.AddRange(InductionRules.Unmet(plan, now, needs.Induction));
        if (AdmissionRules.MethadoneAdmissionUnjustified(plan, needs.Assessment) is { } admission) unmet.Add(admission);
        if (InductionRules.MethadoneQtc(plan, needs.Assessment, needs.Induction) is { } qtc) unmet.Add(qtc.Refusal);
        var protocol = needs.Induction;
        IReadOnlyList<string> limits = plan.Medication == Medication.Methadone
            ? [$"first dose at most {protocol.MethadoneFirstDoseCapMg} mg and first-day total (the 24 h from the first dose) at most " +
               $"{protocol.MethadoneDayOneCapMg} mg, unless the dose carries an overrideReason"]
            : [];
        return new NextFirstDose(plan.Medication, unmet.Count == 0,
            unmet.Select(e => new InductionNeed(e.Rule, e.Message, e.Values)).ToList(), limits);
    }
}

/// <summary>A limit the next dose is held to: the most it allows today, how much of it is given, how much is left.</summary>
public sealed record DoseLimitView(string Rule, string Detail, decimal LimitMg, decimal GivenMg, decimal LeftMg);

/// <summary>
/// The next dose if given now: the course day it falls in (24-hour periods from the first dose), the approved phase, every
/// amount limit that applies with the amount left under it, and the most that may be given without an overrideReason.
/// </summary>
public sealed record NextDose(Medication Medication, int CourseDay, DateTimeOffset? CourseDayEndsAt, SchedulePhase? Phase,
    decimal MaxWithoutOverrideMg, IReadOnlyList<DoseLimitView> Limits)
{
    public static NextDose? Of(DetoxPlan plan, PlanNeeds needs, DateTimeOffset now)
    {
        if (!plan.IsOpen) return null;
        var first = plan.CourseFirstDose();
        var day = CourseDays.Of(first?.GivenAt, now);
        var limits = DoseLimits.At(plan, now, needs).Select(l => new DoseLimitView(l.Rule, l.Detail, l.LimitMg, l.CountedMg, l.LeftMg)).ToList();
        return new NextDose(plan.Medication, day, first is null ? null : first.GivenAt + day * CourseDays.Length,
            DoseSchedule.PhaseOn(plan.ScheduleAt(now), day)?.Phase.Phase, limits.Min(l => l.LeftMg), limits);
    }
}

/// <summary>A schedule change as the API shows it: pending (approvedBy null) or approved.</summary>
public sealed record ScheduleChangeView(Guid ChangeId, IReadOnlyList<DosePhase> Schedule, string DraftedBy, DateTimeOffset DraftedAt,
    string? ApprovedBy, DateTimeOffset? ApprovedAt);

/// <summary>The admission basis for methadone, its reason opened (null once the patient's personal data is erased).</summary>
public sealed record AdmissionJustificationView(AdmissionBasis Basis, string? Reason, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A dose as the API shows it, its override reason opened (null once the patient's personal data is erased).</summary>
public sealed record DoseView(Medication Medication, decimal DoseMg, DateTimeOffset GivenAt, string GivenBy, bool FirstDose,
    bool AboveCapOverride, string? OverrideReason, int Course, IReadOnlyList<string> Overrides, int? AcknowledgedQtcMs);

/// <summary>A medication switch as the API shows it, its reason opened (null once the patient's personal data is erased).</summary>
public sealed record SwitchView(Medication From, Medication To, string? Reason, string SwitchedBy, DateTimeOffset SwitchedAt);

/// <summary>
/// A detox plan as the API shows it: what it is, where it stands, what was given and checked, what is next.
/// <see cref="PersonalDataErased"/> says the free-text reasons can no longer be read.
/// </summary>
public sealed record DetoxPlanView(
    Guid PlanId,
    Guid PatientId,
    Guid EpisodeId,
    PlanStatus Status,
    Medication Medication,
    IReadOnlyList<DosePhase> Schedule,
    string DraftedBy,
    DateTimeOffset DraftedAt,
    string? ApprovedBy,
    DateTimeOffset? ApprovedAt,
    IReadOnlyList<OpioidUse> OpioidUses,
    IReadOnlyList<UrineScreen> UrineScreens,
    IReadOnlyList<WithdrawalCheck> WithdrawalChecks,
    IReadOnlyList<DoseView> Doses,
    IReadOnlyList<DateOnly> MissedDoses,
    IReadOnlyList<SwitchView> Switches,
    PlanClosing? Closing,
    NextFirstDose? NextFirstDose,
    bool PersonalDataErased,
    NextDose? NextDose,
    IReadOnlyList<ScheduleChangeView> ScheduleChanges,
    AdmissionJustificationView? AdmissionJustification)
{
    /// <summary>The view of a plan with nothing sealed in it yet (no override, no switch).</summary>
    public static DetoxPlanView Of(DetoxPlan p, PlanNeeds needs, DateTimeOffset now) => Of(p, needs, now, PersonalDataReader.Nothing);

    public static DetoxPlanView Of(DetoxPlan p, PlanNeeds needs, DateTimeOffset now, PersonalDataReader personal)
    {
        var doses = p.Doses.OrderBy(d => d.GivenAt).Select(d => new DoseView(d.Medication, d.DoseMg, d.GivenAt, d.GivenBy, d.FirstDose,
            d.OverrideReason is not null, personal.Open(d.OverrideReason), d.Course, d.Overrides ?? [], d.AcknowledgedQtcMs)).ToList();
        var switches = p.Switches.Select(s => new SwitchView(s.From, s.To, personal.Open(s.Reason), s.SwitchedBy, s.SwitchedAt)).ToList();
        var changes = p.ScheduleChanges.Select(c => new ScheduleChangeView(c.ChangeId, c.Schedule, c.DraftedBy, c.DraftedAt, c.ApprovedBy, c.ApprovedAt))
            .Concat(p.PendingScheduleChange is { } pending
                ? [new ScheduleChangeView(pending.ChangeId, pending.Schedule, pending.DraftedBy, pending.DraftedAt, null, null)]
                : [])
            .ToList();
        var admission = p.AdmissionJustification is { } a
            ? new AdmissionJustificationView(a.Basis, personal.Open(a.Reason), a.RecordedBy, a.RecordedAt)
            : null;
        return new(p.Id, p.PatientId, p.EpisodeId, p.Status, p.Medication, p.Schedule, p.DraftedBy, p.DraftedAt, p.ApprovedBy,
            p.ApprovedAt, p.OpioidUses, p.UrineScreens, p.WithdrawalChecks, doses, [.. p.MissedDoses.Order()], switches, p.Closing,
            NextFirstDose.Of(p, needs, now), personal.Erased, NextDose.Of(p, needs, now), changes, admission);
    }

    /// <summary>Whether the plan holds sealed text (override, switch or admission reasons) for its view to open.</summary>
    public static bool HoldsPersonalText(DetoxPlan p) =>
        p.Switches.Count > 0 || p.AdmissionJustification is not null || p.Doses.Any(d => d.OverrideReason is not null);

    /// <summary>The view with its sealed reasons opened; the patient's key is looked up only when the plan holds any.</summary>
    public static async Task<DetoxPlanView> Open(DetoxPlan p, PlanNeeds needs, DateTimeOffset now, PersonalDataVault vault,
        string clinicId, CancellationToken ct) =>
        Of(p, needs, now, HoldsPersonalText(p) ? await vault.ReaderFor(clinicId, p.PatientId, ct) : PersonalDataReader.Nothing);

    internal static async Task<IResult> Get(Guid planId, IQuerySession session, ClinicProtocols<InductionProtocol> induction,
        ClinicProtocols<DosingProtocol> dosing, PersonalDataVault vault, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<DetoxPlan>(planId, ct) is not { } plan) return Problems.From(NotFound(planId));
        var needs = await PlanNeeds.Load(session, session.TenantId, plan.EpisodeId, induction, dosing, ct);
        return Results.Ok(await Open(plan, needs, clock.GetUtcNow(), vault, session.TenantId, ct));
    }

    internal static DomainError NotFound(Guid planId) => DomainError.NotFound("detox-plan-not-found", $"No detox plan {planId} at this clinic.");
}
