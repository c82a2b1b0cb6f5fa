using Recovery.Detox.Corrections;
using Recovery.BuildingBlocks.Corrections;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;
using Recovery.Detox.Admission;
using Recovery.Detox.Approval;
using Recovery.Detox.Closing;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Induction;
using Recovery.Detox.ScheduleChanges;
using Recovery.Detox.Switching;
using Recovery.Detox.Withdrawal;

namespace Recovery.Detox.Plans;

public enum Medication
{
    Methadone,
    Buprenorphine,
    ExtendedReleaseNaltrexone,
}

/// <summary>Where a plan stands. A medication switch sends an approved plan back to awaiting its (new) induction.</summary>
public enum PlanStatus
{
    AwaitingApproval,
    AwaitingInduction,
    InTreatment,
    Completed,
    DroppedOut,
}

public enum OpioidKind
{
    ShortActing,
    ExtendedRelease,
    Methadone,
    Buprenorphine,
}

public enum ScreenResult
{
    Positive,
    Negative,
}

public enum DropoutReason
{
    StoppedAttending,
    LeftAgainstAdvice,
    Transferred,
    Incarcerated,
    Hospitalised,
    Other,
}

// Each recorded item keeps AtVersion, the position in the plan's stream of the event that recorded it, so a correction
// (entered in error, amended) names exactly the item it corrects.

public sealed record OpioidUse(OpioidKind Kind, DateTimeOffset UsedAt, long AtVersion = 0);

public sealed record UrineScreen(ScreenResult OpioidResult, DateTimeOffset CollectedAt, long AtVersion = 0);

public sealed record WithdrawalCheck(DateTimeOffset ScoredAt, IReadOnlyDictionary<CowsItem, int> Items, int Total, WithdrawalBand Band,
    long AtVersion = 0);

/// <summary>
/// A dose given. <paramref name="Course"/> numbers the plan's medication courses: 1, then +1 at each switch.
/// <paramref name="Overrides"/> names the limits the dose went beyond with its override reason; <paramref name="AcknowledgedQtcMs"/>
/// is the QTc the prescriber acknowledged on a methadone first dose.
/// </summary>
public sealed record Dose(Medication Medication, decimal DoseMg, DateTimeOffset GivenAt, string GivenBy, bool FirstDose,
    Sealed? OverrideReason, int Course, IReadOnlyList<string>? Overrides = null, int? AcknowledgedQtcMs = null,
    long AtVersion = 0);

/// <summary>The schedule doses of course <paramref name="Course"/> are held to from <paramref name="From"/> (null: from the start).</summary>
public sealed record ScheduleInForce(int Course, DateTimeOffset? From, IReadOnlyList<DosePhase> Schedule);

/// <summary>A schedule change drafted and awaiting a second clinician.</summary>
public sealed record PendingScheduleChange(Guid ChangeId, IReadOnlyList<DosePhase> Schedule, string DraftedBy, DateTimeOffset DraftedAt);

/// <summary>A schedule change approved by a second clinician.</summary>
public sealed record ScheduleChange(Guid ChangeId, int Course, IReadOnlyList<DosePhase> Schedule, string DraftedBy, DateTimeOffset DraftedAt,
    string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>The admission basis for methadone recorded by the prescriber; the reason sealed with the patient's key.</summary>
public sealed record AdmissionJustification(AdmissionBasis Basis, Sealed Reason, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Switch(Medication From, Medication To, Sealed Reason, string SwitchedBy, DateTimeOffset SwitchedAt);

/// <summary>How the plan ended: completed, or dropped out with a reason.</summary>
public sealed record PlanClosing(PlanStatus Outcome, DateOnly On, DropoutReason? Reason, int DaysInTreatment);

/// <summary>
/// One medically planned detox of a patient at a clinic. Its state is folded from its events by
/// <see cref="DetoxPlanEvolution.Evolve"/>.
/// </summary>
public sealed record DetoxPlan
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid EpisodeId { get; init; }
    public PlanStatus Status { get; init; }
    public Medication Medication { get; init; }
    public IReadOnlyList<DosePhase> Schedule { get; init; } = [];
    public string DraftedBy { get; init; } = "";
    public DateTimeOffset DraftedAt { get; init; }
    public string? ApprovedBy { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public int Course { get; init; } = 1;
    public IReadOnlyList<OpioidUse> OpioidUses { get; init; } = [];
    public IReadOnlyList<UrineScreen> UrineScreens { get; init; } = [];
    public IReadOnlyList<WithdrawalCheck> WithdrawalChecks { get; init; } = [];
    public IReadOnlyList<Dose> Doses { get; init; } = [];
    public IReadOnlyList<DateOnly> MissedDoses { get; init; } = [];
    public IReadOnlyList<Switch> Switches { get; init; } = [];
    public PlanClosing? Closing { get; init; }

    /// <summary>How many events the plan's stream holds: the version of the last one folded.</summary>
    public long Version { get; init; }

    /// <summary>The stream versions of facts corrected (entered in error or amended): each is corrected once.</summary>
    public IReadOnlyList<long> Corrected { get; init; } = [];

    /// <summary>Every schedule approved for the plan, with the moment from which it holds.</summary>
    public IReadOnlyList<ScheduleInForce> Schedules { get; init; } = [];
    public PendingScheduleChange? PendingScheduleChange { get; init; }
    public IReadOnlyList<ScheduleChange> ScheduleChanges { get; init; } = [];
    public AdmissionJustification? AdmissionJustification { get; init; }

    public bool IsOpen => Status is not (PlanStatus.Completed or PlanStatus.DroppedOut);

    /// <summary>The patient while the plan is open, else null: a unique index on it allows one open plan per patient and clinic.</summary>
    public Guid? OpenForPatient => IsOpen ? PatientId : null;

    /// <summary>The first dose of the current medication course; null until the course's induction.</summary>
    public Dose? CourseFirstDose() => Doses.Where(d => d.Course == Course).MinBy(d => d.GivenAt);

    /// <summary>
    /// The current course's schedule approved at <paramref name="at"/>: a dose entered late is held to the schedule that held
    /// when it was given, not to a change approved since.
    /// </summary>
    public IReadOnlyList<DosePhase> ScheduleAt(DateTimeOffset at)
    {
        var course = Schedules.Where(s => s.Course == Course).ToList();
        return course.Where(s => s.From is null || s.From <= at).MaxBy(s => s.From ?? DateTimeOffset.MinValue)?.Schedule
               ?? course.FirstOrDefault()?.Schedule
               ?? Schedule; // a plan stored before schedules were versioned
    }
}

/// <summary>Folds a plan's events into its state: a pure function, so decisions are tested without a database.</summary>
public static class DetoxPlanEvolution
{
    public static DetoxPlan Evolve(DetoxPlan? state, object @event)
    {
        var version = (state?.Version ?? 0) + 1;
        return Apply(state, @event, version) with { Version = version };
    }

    private static DetoxPlan Apply(DetoxPlan? state, object @event, long version) => @event switch
    {
        DetoxPlanDrafted e => new DetoxPlan
        {
            Id = e.PlanId, PatientId = e.PatientId, EpisodeId = e.EpisodeId, Status = PlanStatus.AwaitingApproval,
            Medication = e.Medication, Schedule = e.Schedule, DraftedBy = e.DraftedBy, DraftedAt = e.DraftedAt,
            Schedules = [new ScheduleInForce(1, null, e.Schedule)],
        },
        DetoxPlanApproved e => Existing(state) with
        {
            Status = PlanStatus.AwaitingInduction, ApprovedBy = e.ApprovedBy, ApprovedAt = e.ApprovedAt,
        },
        LastOpioidUseRecorded e => Existing(state) with { OpioidUses = [.. Existing(state).OpioidUses, new OpioidUse(e.Kind, e.UsedAt, version)] },
        InductionUrineScreenRecorded e => Existing(state) with
        {
            UrineScreens = [.. Existing(state).UrineScreens, new UrineScreen(e.OpioidResult, e.CollectedAt, version)],
        },
        WithdrawalChecked e => Existing(state) with
        {
            WithdrawalChecks = [.. Existing(state).WithdrawalChecks, new WithdrawalCheck(e.ScoredAt, e.Items, e.Total, e.Band, version)],
        },
        DoseGiven e => Existing(state) with
        {
            Status = PlanStatus.InTreatment,
            Doses = [.. Existing(state).Doses,
                new Dose(e.Medication, e.DoseMg, e.GivenAt, e.GivenBy, e.FirstDose, e.OverrideReason, Existing(state).Course, e.Overrides,
                    e.AcknowledgedQtcMs, version)],
        },
        DoseMissed e => Existing(state) with { MissedDoses = [.. Existing(state).MissedDoses, e.MissedOn] },
        MedicationSwitched e => Existing(state) with
        {
            Medication = e.To,
            Schedule = e.Schedule,
            Course = Existing(state).Course + 1,
            Status = Existing(state).ApprovedAt is null ? PlanStatus.AwaitingApproval : PlanStatus.AwaitingInduction,
            Switches = [.. Existing(state).Switches, new Switch(e.From, e.To, e.Reason, e.SwitchedBy, e.SwitchedAt)],
            Schedules = [.. Existing(state).Schedules, new ScheduleInForce(Existing(state).Course + 1, e.SwitchedAt, e.Schedule)],
            PendingScheduleChange = null, // drafted for the medication before the switch
        },
        ScheduleChangeDrafted e => Existing(state) with
        {
            PendingScheduleChange = new PendingScheduleChange(e.ChangeId, e.Schedule, e.DraftedBy, e.DraftedAt),
        },
        ScheduleChangeApproved e => Approved(Existing(state), e),
        AdmissionJustificationRecorded e => Existing(state) with
        {
            AdmissionJustification = new AdmissionJustification(e.Basis, e.Reason, e.RecordedBy, e.RecordedAt),
        },
        DetoxCompleted e => Existing(state) with
        {
            Status = PlanStatus.Completed, Closing = new PlanClosing(PlanStatus.Completed, e.CompletedOn, null, e.DaysInTreatment),
        },
        DetoxDroppedOut e => Existing(state) with
        {
            Status = PlanStatus.DroppedOut, Closing = new PlanClosing(PlanStatus.DroppedOut, e.DroppedOutOn, e.Reason, e.DaysInTreatment),
        },
        FactEnteredInError e => Without(Existing(state), e.FactVersion) with { Corrected = [.. Existing(state).Corrected, e.FactVersion] },
        DoseAmended e => Existing(state) with
        {
            Doses = Existing(state).Doses.Select(d => d.AtVersion == e.FactVersion ? d with { DoseMg = e.Replacement.DoseMg } : d).ToList(),
            Corrected = [.. Existing(state).Corrected, e.FactVersion],
        },
        _ => Existing(state),
    };

    /// <summary>The plan as if the fact recorded at <paramref name="version"/> had never been recorded.</summary>
    private static DetoxPlan Without(DetoxPlan plan, long version)
    {
        var doses = plan.Doses.Where(d => d.AtVersion != version).ToList();
        return plan with
        {
            OpioidUses = plan.OpioidUses.Where(u => u.AtVersion != version).ToList(),
            UrineScreens = plan.UrineScreens.Where(s => s.AtVersion != version).ToList(),
            WithdrawalChecks = plan.WithdrawalChecks.Where(c => c.AtVersion != version).ToList(),
            Doses = doses,
            // The course's only dose gone: the course awaits its induction again.
            Status = plan.Status == PlanStatus.InTreatment && doses.All(d => d.Course != plan.Course) ? PlanStatus.AwaitingInduction : plan.Status,
        };
    }

    public static DetoxPlan Fold(IEnumerable<object> events) =>
        events.Aggregate((DetoxPlan?)null, Evolve) ?? throw new InvalidOperationException("No events to fold.");

    private static DetoxPlan Approved(DetoxPlan plan, ScheduleChangeApproved e) => plan with
    {
        Schedule = e.Schedule,
        Schedules = [.. plan.Schedules, new ScheduleInForce(plan.Course, e.ApprovedAt, e.Schedule)],
        ScheduleChanges = [.. plan.ScheduleChanges,
            new ScheduleChange(e.ChangeId, plan.Course, e.Schedule, e.DraftedBy, e.DraftedAt, e.ApprovedBy, e.ApprovedAt)],
        PendingScheduleChange = null,
    };

    private static DetoxPlan Existing(DetoxPlan? state) =>
        state ?? throw new InvalidOperationException("A detox plan event arrived before DetoxPlanDrafted.");
}

/// <summary>Keeps each plan's current state as a document, in the same transaction as its events.</summary>
public sealed class DetoxPlanProjection : SingleStreamProjection<DetoxPlan, Guid>
{
    public DetoxPlanProjection()
    {
        IncludeType<DetoxPlanDrafted>();
        IncludeType<DetoxPlanApproved>();
        IncludeType<LastOpioidUseRecorded>();
        IncludeType<InductionUrineScreenRecorded>();
        IncludeType<WithdrawalChecked>();
        IncludeType<DoseGiven>();
        IncludeType<DoseMissed>();
        IncludeType<MedicationSwitched>();
        IncludeType<ScheduleChangeDrafted>();
        IncludeType<ScheduleChangeApproved>();
        IncludeType<AdmissionJustificationRecorded>();
        IncludeType<DetoxCompleted>();
        IncludeType<DetoxDroppedOut>();
        IncludeType<FactEnteredInError>();
        IncludeType<DoseAmended>();
    }

    public override DetoxPlan Evolve(DetoxPlan? snapshot, Guid id, IEvent e) => DetoxPlanEvolution.Evolve(snapshot, e.Data);
}
