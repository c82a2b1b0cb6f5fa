using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Induction;

/// <summary>
/// The rules a first dose of a medication (an induction) must meet, as pure functions of the plan, the dose time and
/// the clinic's protocol. Time rules compare the dose's givenAt, so a dose entered late is judged when it was given.
/// </summary>
public static class InductionRules
{
    /// <summary>Everything the first dose of the plan's current medication still lacks at <paramref name="givenAt"/>; empty when ready.</summary>
    public static IReadOnlyList<DomainError> Unmet(DetoxPlan plan, DateTimeOffset givenAt, InductionProtocol protocol) => plan.Medication switch
    {
        Medication.Buprenorphine => Buprenorphine(plan, givenAt, protocol).ToList(),
        Medication.ExtendedReleaseNaltrexone => Naltrexone(plan, givenAt, protocol).ToList(),
        _ => [], // methadone's induction rule is on the amount: see MethadoneCapBroken
    };

    /// <summary>
    /// The opioids the patient last took: the uses recorded on the plan, and the agonist doses this plan gave under an
    /// earlier medication (after a switch from methadone, the last methadone dose is the last methadone use).
    /// </summary>
    public static IEnumerable<OpioidUse> Exposures(DetoxPlan plan) =>
        plan.OpioidUses.Concat(plan.Doses.Where(d => d.Course != plan.Course).SelectMany(d => d.Medication switch
        {
            Medication.Methadone => [new OpioidUse(OpioidKind.Methadone, d.GivenAt)],
            Medication.Buprenorphine => [new OpioidUse(OpioidKind.Buprenorphine, d.GivenAt)],
            _ => Array.Empty<OpioidUse>(), // naltrexone is an antagonist, not an opioid exposure
        }));

    public static int BuprenorphineHoursAfter(OpioidKind kind, InductionProtocol p) => kind switch
    {
        OpioidKind.ShortActing => p.BuprenorphineHoursAfterShortActing,
        OpioidKind.ExtendedRelease => p.BuprenorphineHoursAfterExtendedRelease,
        OpioidKind.Methadone => p.BuprenorphineHoursAfterMethadone,
        _ => p.BuprenorphineHoursAfterBuprenorphine,
    };

    public static int NaltrexoneDaysAfter(OpioidKind kind, InductionProtocol p) =>
        kind is OpioidKind.Methadone or OpioidKind.Buprenorphine ? p.NaltrexoneOpioidFreeDaysAfterLongActing : p.NaltrexoneOpioidFreeDays;

    private static IEnumerable<DomainError> Buprenorphine(DetoxPlan plan, DateTimeOffset givenAt, InductionProtocol p)
    {
        if (plan.OpioidUses.Count == 0) yield return LastUseRequired(plan);

        var window = TimeSpan.FromMinutes(p.BuprenorphineCowsWindowMinutes);
        var check = plan.WithdrawalChecks.Where(c => c.ScoredAt <= givenAt && givenAt - c.ScoredAt <= window).MaxBy(c => c.ScoredAt);
        if (check is null)
            yield return DomainError.RuleBroken("buprenorphine-cows-required",
                $"Buprenorphine's first dose needs a COWS withdrawal check in this plan within {p.BuprenorphineCowsWindowMinutes} minutes before it.",
                values: new Dictionary<string, object?>
                {
                    ["doseAt"] = givenAt,
                    ["windowMinutes"] = p.BuprenorphineCowsWindowMinutes,
                    ["latestCheckAt"] = plan.WithdrawalChecks.Where(c => c.ScoredAt <= givenAt).MaxBy(c => c.ScoredAt)?.ScoredAt,
                });
        else if (check.Total < p.BuprenorphineMinimumCows)
            yield return DomainError.RuleBroken("buprenorphine-cows-too-low",
                $"Buprenorphine's first dose needs objective withdrawal: COWS {check.Total} is below {p.BuprenorphineMinimumCows}.",
                values: new Dictionary<string, object?>
                {
                    ["cowsTotal"] = check.Total, ["minimumCows"] = p.BuprenorphineMinimumCows, ["scoredAt"] = check.ScoredAt,
                });

        // The use whose wait ends last decides: if it has passed, every other has too.
        var binding = Exposures(plan).MaxBy(u => u.UsedAt + TimeSpan.FromHours(BuprenorphineHoursAfter(u.Kind, p)));
        if (binding is not null)
        {
            var hours = BuprenorphineHoursAfter(binding.Kind, p);
            var since = givenAt - binding.UsedAt;
            if (since <= TimeSpan.FromHours(hours)) // strictly more than the wait is required
                yield return DomainError.RuleBroken("buprenorphine-too-soon-after-opioid",
                    $"Buprenorphine needs more than {hours} h after {Kebab.Of(binding.Kind)} opioid use; " +
                    $"{since.TotalHours:0.##} h have passed.",
                    values: new Dictionary<string, object?>
                    {
                        ["lastUseKind"] = Kebab.Of(binding.Kind),
                        ["lastUsedAt"] = binding.UsedAt,
                        ["hoursSinceUse"] = Math.Round(since.TotalHours, 2),
                        ["requiredHoursMoreThan"] = hours,
                        ["earliestDoseAfter"] = binding.UsedAt + TimeSpan.FromHours(hours),
                    });
        }
    }

    private static IEnumerable<DomainError> Naltrexone(DetoxPlan plan, DateTimeOffset givenAt, InductionProtocol p)
    {
        if (plan.OpioidUses.Count == 0) yield return LastUseRequired(plan);

        var binding = Exposures(plan).MaxBy(u => u.UsedAt + TimeSpan.FromDays(NaltrexoneDaysAfter(u.Kind, p)));
        if (binding is not null)
        {
            var days = NaltrexoneDaysAfter(binding.Kind, p);
            var free = givenAt - binding.UsedAt;
            if (free < TimeSpan.FromDays(days))
                yield return DomainError.RuleBroken("naltrexone-opioid-free-days",
                    $"Extended-release naltrexone needs at least {days} opioid-free days after {Kebab.Of(binding.Kind)} use; " +
                    $"{free.TotalDays:0.##} days have passed.",
                    values: new Dictionary<string, object?>
                    {
                        ["lastUseKind"] = Kebab.Of(binding.Kind),
                        ["lastUsedAt"] = binding.UsedAt,
                        ["opioidFreeDays"] = Math.Round(free.TotalDays, 2),
                        ["requiredDays"] = days,
                        ["earliestDoseAt"] = binding.UsedAt + TimeSpan.FromDays(days),
                    });
        }

        // Of screens collected at the same moment, a positive one counts.
        var screen = plan.UrineScreens.Where(s => s.CollectedAt <= givenAt)
            .OrderByDescending(s => s.CollectedAt).ThenBy(s => s.OpioidResult == ScreenResult.Positive ? 0 : 1).FirstOrDefault();
        if (screen is null)
            yield return DomainError.RuleBroken("naltrexone-screen-required",
                "The first dose of extended-release naltrexone needs a pre-induction urine screen negative for opioids.",
                values: new Dictionary<string, object?> { ["doseAt"] = givenAt });
        else if (screen.OpioidResult == ScreenResult.Positive)
            yield return DomainError.RuleBroken("naltrexone-positive-screen",
                $"The latest pre-induction urine screen (collected {screen.CollectedAt:O}) is positive for opioids.",
                values: new Dictionary<string, object?> { ["opioidResult"] = Kebab.Of(screen.OpioidResult), ["collectedAt"] = screen.CollectedAt });
    }

    /// <summary>
    /// The methadone cap a dose would break (first dose, or the total given on the first dose's UTC day), or null.
    /// Only day 1 of the current methadone course is capped; a documented reason lets the dose above the cap.
    /// </summary>
    public static DomainError? MethadoneCapBroken(DetoxPlan plan, decimal doseMg, DateTimeOffset givenAt, InductionProtocol p)
    {
        if (plan.Medication != Medication.Methadone) return null;
        var first = plan.CourseFirstDose();
        var dayOne = DateOnly.FromDateTime((first?.GivenAt ?? givenAt).UtcDateTime);
        if (DateOnly.FromDateTime(givenAt.UtcDateTime) != dayOne) return null;

        if (first is null && doseMg > p.MethadoneFirstDoseCapMg)
            return DomainError.RuleBroken("methadone-first-dose-cap",
                $"Methadone's first dose of {doseMg} mg is above the {p.MethadoneFirstDoseCapMg} mg cap; give an overrideReason to exceed it.",
                values: new Dictionary<string, object?> { ["doseMg"] = doseMg, ["capMg"] = p.MethadoneFirstDoseCapMg });

        var total = plan.Doses.Where(d => d.Course == plan.Course && DateOnly.FromDateTime(d.GivenAt.UtcDateTime) == dayOne)
            .Sum(d => d.DoseMg) + doseMg;
        return total > p.MethadoneDayOneCapMg
            ? DomainError.RuleBroken("methadone-day-one-cap",
                $"This dose brings methadone on day 1 ({dayOne:yyyy-MM-dd}) to {total} mg, above the {p.MethadoneDayOneCapMg} mg cap; " +
                "give an overrideReason to exceed it.",
                values: new Dictionary<string, object?>
                {
                    ["doseMg"] = doseMg, ["dayOneTotalMg"] = total, ["capMg"] = p.MethadoneDayOneCapMg, ["dayOne"] = dayOne,
                })
            : null;
    }

    private static DomainError LastUseRequired(DetoxPlan plan) => DomainError.RuleBroken("last-opioid-use-required",
        $"The first dose of {Kebab.Of(plan.Medication)} needs the patient's last opioid use recorded on the plan.",
        values: new Dictionary<string, object?> { ["medication"] = Kebab.Of(plan.Medication) });
}
