using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;

namespace Recovery.Detox.Plans;

public enum SchedulePhase
{
    Induction,
    Stabilisation,
    Taper,
}

/// <summary>One phase of a plan's dose schedule: how many days, at what daily dose.</summary>
public sealed record DosePhase(SchedulePhase Phase, int Days, decimal DailyDoseMg);

public sealed record DosePhaseRequest(string? Phase, int? Days, decimal? DailyDoseMg);

/// <summary>The phase a course day falls in, and the phase's first and last course day.</summary>
public sealed record ScheduledDay(DosePhase Phase, int FirstDay, int LastDay);

public static class DoseSchedule
{
    public const int MaximumPhaseDays = 365;

    /// <summary>The phase course day <paramref name="day"/> (1 = the first dose's 24 hours) falls in; null after the schedule's last day.</summary>
    public static ScheduledDay? PhaseOn(IReadOnlyList<DosePhase> schedule, int day)
    {
        var first = 1;
        foreach (var phase in schedule)
        {
            var last = first + phase.Days - 1;
            if (day <= last) return new ScheduledDay(phase, first, last);
            first = last + 1;
        }
        return null;
    }

    /// <summary>
    /// Plausibility ceilings that catch typing errors (300 for 30.0), not clinical limits: doses below them are the
    /// clinician's judgement and the induction rules'. Buprenorphine: label maximum 24 mg/day, some protocols 32 mg;
    /// extended-release naltrexone: one 380 mg injection (SAMHSA TIP 63); methadone: high maintenance doses exist.
    /// </summary>
    public static decimal MaximumDailyMg(Medication medication) => medication switch
    {
        Medication.Methadone => 400m,
        Medication.Buprenorphine => 32m,
        Medication.ExtendedReleaseNaltrexone => 380m,
        _ => throw new ArgumentOutOfRangeException(nameof(medication)),
    };

    /// <summary>
    /// A schedule starts with induction and follows induction, stabilisation, taper, each phase at most once,
    /// with 1-365 days and a daily dose above 0 and within the medication's plausibility ceiling.
    /// </summary>
    public static IReadOnlyList<DosePhase> Validate(FieldErrors errors, string field, IReadOnlyList<DosePhaseRequest?>? schedule,
        Medication? medication)
    {
        var phases = new List<DosePhase>();
        if (schedule is null || schedule.Count == 0)
        {
            errors.Add(field, "is required: at least the induction phase");
            return phases;
        }
        var valid = true;
        for (var i = 0; i < schedule.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (schedule[i] is not { } phase)
            {
                errors.Add(at, "is required");
                valid = false;
                continue;
            }
            if (!Kebab.TryParse<SchedulePhase>(phase.Phase, out var name))
            {
                errors.Add($"{at}.phase", $"must be one of {string.Join(", ", Kebab.AllOf<SchedulePhase>())}");
                valid = false;
            }
            if (errors.Required($"{at}.days", phase.Days) is { } days && (days < 1 || days > MaximumPhaseDays))
            {
                errors.Add($"{at}.days", $"must be between 1 and {MaximumPhaseDays}");
                valid = false;
            }
            if (errors.Required($"{at}.dailyDoseMg", phase.DailyDoseMg) is { } mg)
            {
                if (mg <= 0) errors.Add($"{at}.dailyDoseMg", "must be more than 0");
                else if (medication is { } m && mg > MaximumDailyMg(m))
                    errors.Add($"{at}.dailyDoseMg", $"must be at most {MaximumDailyMg(m)} mg for {Kebab.Of(m)}");
            }
            if (phase.Days is null || phase.DailyDoseMg is null) valid = false;
            else if (valid) phases.Add(new DosePhase(name, phase.Days.Value, phase.DailyDoseMg.Value));
        }
        if (!valid) return phases;

        var order = phases.Select(p => p.Phase).ToList();
        if (order[0] != SchedulePhase.Induction) errors.Add(field, "must start with the induction phase");
        else if (order.Distinct().Count() != order.Count || !order.SequenceEqual(order.Order()))
            errors.Add(field, "must list each phase at most once, in the order induction, stabilisation, taper");
        return phases;
    }
}
