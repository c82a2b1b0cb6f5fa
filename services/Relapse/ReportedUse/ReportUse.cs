using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.ReportedUse;

/// <summary>What a patient says they used, in their words' nearest category (heroin is what they say, opiates what a screen shows).</summary>
public enum ReportedSubstance
{
    Heroin,
    Fentanyl,
    Oxycodone,
    OtherOpioid,
    Methadone,
    Buprenorphine,
    Cocaine,
    Amphetamines,
    Benzodiazepines,
    Cannabis,
    Alcohol,
    Other,
}

/// <summary>The patient reported using a substance on a day.</summary>
public sealed record UseSelfReported(Guid MonitoringId, Guid PatientId, Guid? EpisodeId, ReportedSubstance Substance, DateOnly UsedOn);

public sealed record ReportUse(ReportedSubstance Substance, DateOnly UsedOn);

public sealed record ReportUseRequest(string? Substance, DateOnly? UsedOn)
{
    public Validated<ReportUse> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var substance = errors.OneOf<ReportedSubstance>("substance", Substance);
        var usedOn = errors.Required("usedOn", UsedOn);
        if (RequestTimes.IsInFuture(usedOn, now)) errors.Add("usedOn", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new ReportUse(substance, usedOn!.Value);
    }
}

public static class UseReports
{
    /// <summary>Stored and shown; the rule is still evaluated, because weeks may have ended since the last fact.</summary>
    public static Decision Decide(Monitoring monitoring, ReportUse command, RelapseCheck check)
    {
        if (MonitoringRecords.MustBeOpen(monitoring) is { } closed) return closed;
        if (MonitoringRecords.MustNotPrecedeStart(monitoring, "usedOn", command.UsedOn) is { } early) return early;

        var reported = new UseSelfReported(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, command.Substance, command.UsedOn);
        return Decision.Accept(RelapseDetection.After(monitoring, [reported], check, command.UsedOn));
    }
}
