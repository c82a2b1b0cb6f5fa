using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox.Induction;

namespace Recovery.Detox.Plans;

/// <summary>One thing the next first dose still needs: the rule it would break now, and the values.</summary>
public sealed record InductionNeed(string Rule, string Detail, IReadOnlyDictionary<string, object?>? Values);

/// <summary>The induction ahead (the first dose of the current medication), judged as if given now.</summary>
public sealed record NextFirstDose(Medication Medication, bool ReadyNow, IReadOnlyList<InductionNeed> Needs, IReadOnlyList<string> Limits)
{
    public static NextFirstDose? Of(DetoxPlan plan, InductionProtocol protocol, DateTimeOffset now)
    {
        if (!plan.IsOpen || plan.CourseFirstDose() is not null) return null;
        var unmet = new List<DomainError>();
        if (PlanRules.MustBeApproved(plan) is { } approval) unmet.Add(approval);
        unmet.AddRange(InductionRules.Unmet(plan, now, protocol));
        IReadOnlyList<string> limits = plan.Medication == Medication.Methadone
            ? [$"first dose at most {protocol.MethadoneFirstDoseCapMg} mg and day-1 total at most {protocol.MethadoneDayOneCapMg} mg, " +
               "unless the dose carries an overrideReason"]
            : [];
        return new NextFirstDose(plan.Medication, unmet.Count == 0,
            unmet.Select(e => new InductionNeed(e.Rule, e.Message, e.Values)).ToList(), limits);
    }
}

/// <summary>A dose as the API shows it, its override reason opened (null once the patient's personal data is erased).</summary>
public sealed record DoseView(Medication Medication, decimal DoseMg, DateTimeOffset GivenAt, string GivenBy, bool FirstDose,
    bool AboveCapOverride, string? OverrideReason, int Course);

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
    bool PersonalDataErased)
{
    /// <summary>The view of a plan with nothing sealed in it yet (no override, no switch).</summary>
    public static DetoxPlanView Of(DetoxPlan p, InductionProtocol protocol, DateTimeOffset now) =>
        Of(p, protocol, now, PersonalDataReader.Nothing);

    public static DetoxPlanView Of(DetoxPlan p, InductionProtocol protocol, DateTimeOffset now, PersonalDataReader personal)
    {
        var doses = p.Doses.OrderBy(d => d.GivenAt).Select(d => new DoseView(d.Medication, d.DoseMg, d.GivenAt, d.GivenBy, d.FirstDose,
            d.OverrideReason is not null, personal.Open(d.OverrideReason), d.Course)).ToList();
        var switches = p.Switches.Select(s => new SwitchView(s.From, s.To, personal.Open(s.Reason), s.SwitchedBy, s.SwitchedAt)).ToList();
        return new(p.Id, p.PatientId, p.EpisodeId, p.Status, p.Medication, p.Schedule, p.DraftedBy, p.DraftedAt, p.ApprovedBy,
            p.ApprovedAt, p.OpioidUses, p.UrineScreens, p.WithdrawalChecks, doses, [.. p.MissedDoses.Order()], switches, p.Closing,
            NextFirstDose.Of(p, protocol, now), personal.Erased);
    }

    /// <summary>Whether the plan holds sealed text (override or switch reasons) for its view to open.</summary>
    public static bool HoldsPersonalText(DetoxPlan p) => p.Switches.Count > 0 || p.Doses.Any(d => d.OverrideReason is not null);

    /// <summary>The view with its sealed reasons opened; the patient's key is looked up only when the plan holds any.</summary>
    public static async Task<DetoxPlanView> Open(DetoxPlan p, InductionProtocol protocol, DateTimeOffset now, PersonalDataVault vault,
        CancellationToken ct) =>
        Of(p, protocol, now, HoldsPersonalText(p) ? await vault.ReaderFor(p.PatientId, ct) : PersonalDataReader.Nothing);

    internal static async Task<IResult> Get(Guid planId, IQuerySession session, ClinicProtocols<InductionProtocol> protocols,
        PersonalDataVault vault, TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<DetoxPlan>(planId, ct) is { } plan
            ? Results.Ok(await Open(plan, protocols.For(session.TenantId), clock.GetUtcNow(), vault, ct))
            : Problems.From(NotFound(planId));

    internal static DomainError NotFound(Guid planId) => DomainError.NotFound("detox-plan-not-found", $"No detox plan {planId} at this clinic.");
}
