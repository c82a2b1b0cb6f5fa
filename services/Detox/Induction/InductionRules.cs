using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Dosing;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Plans;

namespace Recovery.Detox.Induction;

/// <summary>
/// What the intake's QTc asks of methadone's first dose: <paramref name="Refusal"/> without qtcAcknowledged, and with
/// <paramref name="Override"/> also an overrideReason.
/// </summary>
public sealed record QtcFinding(int? QtcMs, bool Override, DomainError Refusal);

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
        _ => [], // methadone's induction rules are on the amount (MethadoneCaps) and the findings (MethadoneQtc)
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
            var wait = TimeSpan.FromHours(hours);
            // Whether exactly the wait is enough is the clinic's reading of TIP 63 (BuprenorphineWaitInclusive).
            if (p.BuprenorphineWaitInclusive ? since < wait : since <= wait)
                yield return DomainError.RuleBroken("buprenorphine-too-soon-after-opioid",
                    $"Buprenorphine needs {(p.BuprenorphineWaitInclusive ? "at least" : "more than")} {hours} h after {Kebab.Of(binding.Kind)} " +
                    $"opioid use; {since.TotalHours:0.##} h have passed.",
                    values: new Dictionary<string, object?>
                    {
                        ["lastUseKind"] = Kebab.Of(binding.Kind),
                        ["lastUsedAt"] = binding.UsedAt,
                        ["hoursSinceUse"] = Math.Round(since.TotalHours, 2),
                        [p.BuprenorphineWaitInclusive ? "requiredHoursAtLeast" : "requiredHoursMoreThan"] = hours,
                        [p.BuprenorphineWaitInclusive ? "earliestDoseAt" : "earliestDoseAfter"] = binding.UsedAt + wait,
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
        else if (Exposures(plan).MaxBy(u => u.UsedAt) is { } last && screen.CollectedAt <= last.UsedAt)
            // A negative screen proves abstinence only since it was collected (label: confirm abstinence before the injection).
            yield return DomainError.RuleBroken("naltrexone-screen-before-last-use",
                $"The latest negative urine screen (collected {screen.CollectedAt:O}) is not after the last recorded opioid use " +
                $"({last.UsedAt:O}); a screen collected after the last use is needed.",
                values: new Dictionary<string, object?>
                {
                    ["collectedAt"] = screen.CollectedAt, ["lastUsedAt"] = last.UsedAt, ["lastUseKind"] = Kebab.Of(last.Kind),
                });
    }

    /// <summary>
    /// Methadone's first-day caps (42 CFR 8.12(h)(3)(ii) as written until 2024; 9 CCR 10355): the first dose, and the total of
    /// the first day, which is the 24 hours from the first dose (<see cref="CourseDays"/>), not a calendar date. Only the
    /// current course's first day is capped; an overrideReason lets a dose above a cap.
    /// </summary>
    public static IEnumerable<DoseLimit> MethadoneCaps(DetoxPlan plan, DateTimeOffset givenAt, InductionProtocol p)
    {
        if (plan.Medication != Medication.Methadone) yield break;
        var first = plan.CourseFirstDose();
        if (CourseDays.Of(first?.GivenAt, givenAt) != 1) yield break;
        var from = first?.GivenAt ?? givenAt;
        var until = from + CourseDays.Length;

        if (first is null)
            yield return new DoseLimit("methadone-first-dose-cap", "methadone's first dose", p.MethadoneFirstDoseCapMg, 0m, dose =>
                DomainError.RuleBroken("methadone-first-dose-cap",
                    $"Methadone's first dose of {dose} mg is above the {p.MethadoneFirstDoseCapMg} mg cap; give an overrideReason to exceed it.",
                    values: new Dictionary<string, object?> { ["doseMg"] = dose, ["capMg"] = p.MethadoneFirstDoseCapMg }));

        var given = CourseDays.Totals(plan).GetValueOrDefault(1);
        yield return new DoseLimit("methadone-day-one-cap", "methadone's first day (24 h from the first dose)", p.MethadoneDayOneCapMg, given, dose =>
            DomainError.RuleBroken("methadone-day-one-cap",
                $"This dose brings methadone's first day ({from:O} to {until:O}) to {given + dose} mg, above the {p.MethadoneDayOneCapMg} mg " +
                "cap; give an overrideReason to exceed it.",
                values: new Dictionary<string, object?>
                {
                    ["doseMg"] = dose, ["dayOneTotalMg"] = given + dose, ["capMg"] = p.MethadoneDayOneCapMg, ["dayOneFrom"] = from,
                    ["dayOneUntil"] = until,
                }));
    }

    /// <summary>The methadone cap a dose would break (first dose, or the first day's total), or null.</summary>
    public static DomainError? MethadoneCapBroken(DetoxPlan plan, decimal doseMg, DateTimeOffset givenAt, InductionProtocol p) =>
        MethadoneCaps(plan, givenAt, p).FirstOrDefault(l => l.ExceededBy(doseMg))?.Refuse(doseMg);

    /// <summary>
    /// What the intake's QTc asks of methadone's first dose (Krantz et al., Ann Intern Med 2009; the methadone label's QT warning):
    /// from 450 ms up to 500 ms an explicit acknowledgement (qtcAcknowledged); above 500 ms, or when Detox does not know the
    /// QTc, an override (qtcAcknowledged and an overrideReason). Null when nothing is asked.
    /// </summary>
    public static QtcFinding? MethadoneQtc(DetoxPlan plan, CompletedAssessment? assessment, InductionProtocol p)
    {
        if (plan.Medication != Medication.Methadone) return null;
        var qtc = assessment?.QtcMilliseconds;
        var values = new Dictionary<string, object?>
        {
            ["qtcMs"] = qtc, ["acknowledgeFromMs"] = p.MethadoneQtcAcknowledgeFromMs, ["refuseAboveMs"] = p.MethadoneQtcRefuseAboveMs,
            ["assessmentId"] = assessment?.Id,
        };
        if (qtc is null)
            return new QtcFinding(null, Override: true, DomainError.RuleBroken("methadone-qtc-unknown",
                "Detox has not learned the intake's QTc; methadone's first dose then needs qtcAcknowledged and an overrideReason.",
                values: values));
        if (qtc > p.MethadoneQtcRefuseAboveMs)
            return new QtcFinding(qtc, Override: true, DomainError.RuleBroken("methadone-qtc-above-limit",
                $"The intake's QTc of {qtc} ms is above {p.MethadoneQtcRefuseAboveMs} ms; methadone's first dose needs qtcAcknowledged and " +
                "an overrideReason (consider an alternative or a lower dose).", values: values));
        if (qtc >= p.MethadoneQtcAcknowledgeFromMs)
            return new QtcFinding(qtc, Override: false, DomainError.RuleBroken("methadone-qtc-acknowledgement-required",
                $"The intake's QTc of {qtc} ms is from {p.MethadoneQtcAcknowledgeFromMs} to {p.MethadoneQtcRefuseAboveMs} ms; methadone's first " +
                "dose needs qtcAcknowledged: the risk discussed and the QTc to be monitored.", values: values));
        return null;
    }

    private static DomainError LastUseRequired(DetoxPlan plan) => DomainError.RuleBroken("last-opioid-use-required",
        $"The first dose of {Kebab.Of(plan.Medication)} needs the patient's last opioid use recorded on the plan.",
        values: new Dictionary<string, object?> { ["medication"] = Kebab.Of(plan.Medication) });
}
