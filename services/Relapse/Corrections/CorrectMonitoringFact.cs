using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Time;
using Recovery.Clinical;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Corrections;

/// <summary>A urine screen's results were amended: <see cref="Replacement"/> is the screen as it should have been recorded.</summary>
public sealed record UrineScreenAmended(Guid FactEventId, long FactVersion, UrineScreenRecorded Replacement, Sealed Reason);

/// <summary>The values of a screen's amendment: the results per substance, as when it was recorded.</summary>
public sealed record UrineScreenAmendment(Dictionary<string, string?>? Results);

public static class MonitoringCorrections
{
    /// <summary>
    /// A screen or a reported use entered in error, or a screen's results amended; the relapse is then derived again from the
    /// corrected facts under the clinic's rule, so a relapse a wrong positive caused is retracted, saying why.
    /// </summary>
    public static Decision Decide(Monitoring monitoring, FactRef fact, Correction correction, RelapseCheck check, ClinicNow now, Sealer seal)
    {
        if (MonitoringRecords.MustBeOpen(monitoring) is { } closed) return closed;
        if (monitoring.Corrected.Contains(fact.Version)) return BuildingBlocks.Corrections.Corrections.AlreadyCorrected(fact);

        object corrected;
        if (correction.IsAmendment)
        {
            if (fact.Data is not UrineScreenRecorded screen) return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: true);
            var values = correction.ValuesAs<UrineScreenAmendment>((v, _) => v);
            if (values.Error is { } invalid) return invalid;
            var results = new RecordUrineScreenRequest(screen.CollectedOn, values.Value!.Results).Validate(now);
            if (results.Error is { } bad) return bad;
            var replacement = screen with
            {
                Results = results.Value!.Results,
                // Judged as when recorded: against the medication the patient was receiving on the collection day.
                NonPrescribedOpioidPositive = Substances.NonPrescribedOpioidsPositive(results.Value.Results,
                    RelapseRules.PrescribedAt(monitoring, screen.CollectedOn, check.Protocol)).Count > 0,
                NotCollected = results.Value.Results.Values.All(r => r == ScreenResult.NotCollected),
            };
            corrected = new UrineScreenAmended(fact.EventId, fact.Version, replacement, seal(correction.Reason));
        }
        else if (fact.Data is UrineScreenRecorded or UseSelfReported)
            corrected = new FactEnteredInError(fact.EventId, fact.Version, fact.Kind, monitoring.PatientId,
                monitoring.EpisodeId, seal(correction.Reason));
        else
            return BuildingBlocks.Corrections.Corrections.NotCorrectable(fact, amendment: false);

        var after = MonitoringEvolution.Evolve(monitoring, corrected);
        var rederived = RelapseRecomputation.Decide(after, check, now.Today,
            $"{Kebab.Of(fact.Data.GetType().Name)} {fact.EventId} was {(correction.IsAmendment ? "amended" : "entered in error")}");
        return Decision.Accept([corrected, .. rederived.Events]);
    }
}
