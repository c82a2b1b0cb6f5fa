using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;

namespace Recovery.Relapse.Screens;

/// <summary>
/// A urine drug screen, with the two readings relapse rules need derived once, at recording, against the opioid
/// medication the patient was receiving when it was collected (<see cref="Substances.PrescribedAt"/>). The rules read the
/// raw results again, so a recomputation follows the current protocol.
/// </summary>
public sealed record UrineScreenRecorded(
    Guid MonitoringId,
    Guid PatientId,
    Guid? EpisodeId,
    DateOnly CollectedOn,
    IReadOnlyDictionary<Substance, ScreenResult> Results,
    bool NonPrescribedOpioidPositive,
    bool NotCollected);

public sealed record RecordUrineScreen(DateOnly CollectedOn, IReadOnlyDictionary<Substance, ScreenResult> Results);

public sealed record RecordUrineScreenRequest(DateOnly? CollectedOn, Dictionary<string, string?>? Results)
{
    public Validated<RecordUrineScreen> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var collectedOn = errors.Required("collectedOn", CollectedOn);
        if (RequestTimes.IsInFuture(collectedOn, now)) errors.Add("collectedOn", "cannot be in the future");
        var results = new Dictionary<Substance, ScreenResult>();
        if (Results is null) errors.Add("results", "is required: a result per substance, at least opiates");
        foreach (var (name, value) in Results ?? [])
        {
            if (!Kebab.TryParse<Substance>(name, out var substance))
                errors.Add($"results.{name}", $"is not a screened substance; the substances are {string.Join(", ", Kebab.AllOf<Substance>())}");
            else if (!Kebab.TryParse<ScreenResult>(value, out var result))
                errors.Add($"results.{name}", $"must be one of {string.Join(", ", Kebab.AllOf<ScreenResult>())}");
            else if (!results.TryAdd(substance, result)) errors.Add($"results.{name}", "is given twice");
        }
        // Opiates (LOINC 3879-4) is on every panel; a screen without it cannot speak to opioid use.
        if (Results is not null && !Results.Keys.Any(k => Kebab.TryParse<Substance>(k, out var s) && s == Substance.Opiates))
            errors.Add("results.opiates", "is required");
        if (errors.Any) return errors.ToError();
        return new RecordUrineScreen(collectedOn!.Value, results);
    }

}

public static class UrineScreens
{
    public static Decision Decide(Monitoring monitoring, RecordUrineScreen command, RelapseCheck check)
    {
        if (MonitoringRecords.MustBeOpen(monitoring) is { } closed) return closed;
        if (MonitoringRecords.MustNotPrecedeStart(monitoring, "collectedOn", command.CollectedOn) is { } early) return early;

        var screen = new UrineScreenRecorded(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, command.CollectedOn,
            command.Results,
            Substances.NonPrescribedOpioidsPositive(command.Results, RelapseRules.PrescribedAt(monitoring, command.CollectedOn, check.Protocol)).Count > 0,
            command.Results.Values.All(r => r == ScreenResult.NotCollected));
        return Decision.Accept(RelapseDetection.After(monitoring, [screen], check, command.CollectedOn));
    }
}
