using Recovery.BuildingBlocks.Commands;
using Recovery.Relapse.Corrections;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Monitorings;

/// <summary>
/// Every command on a patient's monitoring, one line each. Facts go to the patient's open monitoring at the clinic, and
/// every decision applies the clinic's relapse rule in force.
/// </summary>
public static class MonitoringCommands
{
    public static void MapMonitoringCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<Monitoring, RelapseCheck>(api, "monitoringId", MonitoringRecords.NotFound, m => m.PatientId, MonitoringEvolution.Evolve,
                RuleInForce, (m, check, c, _) => MonitoringView.Of(m, check, c.Today), m => $"/monitorings/{m.Id}")
            .OnFound("/patients/{patientId}/urine-screens", "Record a urine drug screen",
                (RecordUrineScreenRequest r, CommandContext c) => r.Validate(c.Now), MonitoringRecords.OpenOfRoutePatient,
                (m, cmd, check, _) => UrineScreens.Decide(m, cmd, check))
            .OnFound("/patients/{patientId}/reported-use", "Record use the patient reported",
                (ReportUseRequest r, CommandContext c) => r.Validate(c.Now), MonitoringRecords.OpenOfRoutePatient,
                (m, cmd, check, _) => UseReports.Decide(m, cmd, check))
            .Corrects((m, fact, correction, check, c) => MonitoringCorrections.Decide(m, fact, correction, check, c.Now, c.Seal));

    private static Task<RelapseCheck> RuleInForce(Monitoring? _, object __, CommandContext c) =>
        ClinicRelapseRules.CheckFor(c.Session, c.ClinicId, c.Service<ClinicProtocols<RelapseProtocol>>(), c.Cancellation);
}
