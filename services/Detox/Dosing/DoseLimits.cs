using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Dosing;

/// <summary>
/// One limit a dose given at a moment is held to: at most <paramref name="LimitMg"/> in all, of which <paramref name="CountedMg"/>
/// is already given (the day's doses so far). <paramref name="Refuse"/> is the refusal of a dose of so many mg that goes beyond it.
/// </summary>
public sealed record DoseLimit(string Rule, string Detail, decimal LimitMg, decimal CountedMg, Func<decimal, DomainError> Refuse)
{
    public decimal LeftMg => Math.Max(0m, LimitMg - CountedMg);

    public bool ExceededBy(decimal doseMg) => CountedMg + doseMg > LimitMg;
}

/// <summary>
/// The amount limits of a dose, as pure functions of the plan, the dose time and the clinic's protocols. Each may be gone
/// beyond only by a dose that carries an overrideReason, which the dose records with the limits it went beyond. Days are
/// course days (<see cref="CourseDays"/>: 24-hour periods from the medication's first dose).
/// </summary>
public static class DoseLimits
{
    /// <summary>Every limit a dose at <paramref name="at"/> is held to, the regulatory caps first, the approved schedule last.</summary>
    public static IReadOnlyList<DoseLimit> At(DetoxPlan plan, DateTimeOffset at, PlanNeeds needs) =>
    [
        .. InductionRules.MethadoneCaps(plan, at, needs.Induction),
        .. plan.Medication switch
        {
            Medication.Methadone => MethadoneTitration(plan, at, needs.Dosing),
            Medication.Buprenorphine => Buprenorphine(plan, at, needs.Dosing),
            _ => [],
        },
        ApprovedSchedule(plan, at),
    ];

    /// <summary>The refusals of every limit a dose of <paramref name="doseMg"/> at <paramref name="at"/> goes beyond, in order.</summary>
    public static IReadOnlyList<DomainError> Exceeded(DetoxPlan plan, decimal doseMg, DateTimeOffset at, PlanNeeds needs) =>
        At(plan, at, needs).Where(l => l.ExceededBy(doseMg)).Select(l => l.Refuse(doseMg)).ToList();

    /// <summary>
    /// A day's total at most the daily dose of the phase the day falls in, in the schedule the second clinician approved (the
    /// plan's, or an approved change in force at the dose's time). After the schedule's last day no dose is approved.
    /// </summary>
    public static DoseLimit ApprovedSchedule(DetoxPlan plan, DateTimeOffset at)
    {
        var day = CourseDays.Of(plan, at);
        var given = CourseDays.Totals(plan).GetValueOrDefault(day);
        var schedule = plan.ScheduleAt(at);
        if (DoseSchedule.PhaseOn(schedule, day) is not { } phase)
        {
            var days = schedule.Sum(p => p.Days);
            return new DoseLimit("dose-after-schedule", $"the approved schedule ended on day {days}", 0m, given, dose =>
                DomainError.RuleBroken("dose-after-schedule",
                    $"Day {day} is after the approved schedule's {days} days; a dose needs an approved schedule change or an overrideReason.",
                    values: new Dictionary<string, object?>
                    {
                        ["doseMg"] = dose, ["courseDay"] = day, ["scheduleDays"] = days, ["dayTotalMg"] = given + dose,
                    }));
        }
        return new DoseLimit("dose-above-plan", $"the approved {Kebab.Of(phase.Phase.Phase)} daily dose", phase.Phase.DailyDoseMg, given, dose =>
            DomainError.RuleBroken("dose-above-plan",
                $"This dose brings day {day} to {given + dose} mg, above the approved {Kebab.Of(phase.Phase.Phase)} daily dose of " +
                $"{phase.Phase.DailyDoseMg} mg; a higher dose needs an approved schedule change or an overrideReason.",
                values: new Dictionary<string, object?>
                {
                    ["doseMg"] = dose, ["dayTotalMg"] = given + dose, ["approvedDailyMg"] = phase.Phase.DailyDoseMg,
                    ["phase"] = Kebab.Of(phase.Phase.Phase), ["courseDay"] = day, ["phaseFirstDay"] = phase.FirstDay,
                    ["phaseLastDay"] = phase.LastDay,
                }));
    }

    /// <summary>
    /// Methadone after its first day: a day's total at most the step above the previous dosed day's total, and in the first
    /// weeks at most the weekly amount above the lowest dosed day of the 6 days before (SAMHSA TIP 63; RCGP: 5-10 mg a day,
    /// at most 30 mg a week in the first two weeks).
    /// </summary>
    public static IEnumerable<DoseLimit> MethadoneTitration(DetoxPlan plan, DateTimeOffset at, DosingProtocol p)
    {
        var day = CourseDays.Of(plan, at);
        if (plan.CourseFirstDose() is null || day == 1) yield break;
        var totals = CourseDays.Totals(plan);
        var given = totals.GetValueOrDefault(day);
        var earlier = totals.Where(t => t.Key < day).ToList();
        if (earlier.Count == 0) yield break;

        var previous = earlier.MaxBy(t => t.Key);
        yield return new DoseLimit("methadone-titration-step", $"at most {p.MethadoneTitrationStepMg} mg above day {previous.Key}",
            previous.Value + p.MethadoneTitrationStepMg, given, dose =>
                DomainError.RuleBroken("methadone-titration-step",
                    $"This dose brings methadone on day {day} to {given + dose} mg, more than {p.MethadoneTitrationStepMg} mg above day " +
                    $"{previous.Key}'s {previous.Value} mg; give an overrideReason to exceed it.",
                    values: new Dictionary<string, object?>
                    {
                        ["doseMg"] = dose, ["dayTotalMg"] = given + dose, ["courseDay"] = day, ["previousDay"] = previous.Key,
                        ["previousDayMg"] = previous.Value, ["stepMg"] = p.MethadoneTitrationStepMg, ["limitMg"] = previous.Value + p.MethadoneTitrationStepMg,
                    }));

        if (day > p.MethadoneTitrationWeeklyDays) yield break;
        var week = earlier.Where(t => t.Key >= day - 6).ToList();
        if (week.Count == 0) yield break;
        var lowest = week.MinBy(t => t.Value);
        yield return new DoseLimit("methadone-titration-weekly", $"at most {p.MethadoneTitrationWeeklyMg} mg above day {lowest.Key} within 7 days",
            lowest.Value + p.MethadoneTitrationWeeklyMg, given, dose =>
                DomainError.RuleBroken("methadone-titration-weekly",
                    $"In the first {p.MethadoneTitrationWeeklyDays} days methadone may rise at most {p.MethadoneTitrationWeeklyMg} mg in 7 days: " +
                    $"day {day} at {given + dose} mg is more than that above day {lowest.Key}'s {lowest.Value} mg; give an overrideReason to exceed it.",
                    values: new Dictionary<string, object?>
                    {
                        ["doseMg"] = dose, ["dayTotalMg"] = given + dose, ["courseDay"] = day, ["lowestDay"] = lowest.Key,
                        ["lowestDayMg"] = lowest.Value, ["weeklyMg"] = p.MethadoneTitrationWeeklyMg,
                        ["limitMg"] = lowest.Value + p.MethadoneTitrationWeeklyMg,
                    }));
    }

    /// <summary>
    /// Buprenorphine: the first day's total (SAMHSA TIP 63: usually up to 16 mg; the label: 8 mg) and every later day's total
    /// (label and TIP 63: up to 24 mg) within the clinic's limits.
    /// </summary>
    public static IEnumerable<DoseLimit> Buprenorphine(DetoxPlan plan, DateTimeOffset at, DosingProtocol p)
    {
        var day = CourseDays.Of(plan, at);
        var given = CourseDays.Totals(plan).GetValueOrDefault(day);
        var (rule, limit, what) = day == 1
            ? ("buprenorphine-day-one-limit", p.BuprenorphineDayOneLimitMg, "buprenorphine's first day (24 h from the first dose)")
            : ("buprenorphine-daily-maximum", p.BuprenorphineDailyMaximumMg, "buprenorphine's daily maximum");
        yield return new DoseLimit(rule, what, limit, given, dose =>
            DomainError.RuleBroken(rule,
                $"This dose brings day {day} to {given + dose} mg, above {what} of {limit} mg; give an overrideReason to exceed it.",
                values: new Dictionary<string, object?>
                {
                    ["doseMg"] = dose, ["dayTotalMg"] = given + dose, ["courseDay"] = day, ["limitMg"] = limit,
                }));
    }
}
