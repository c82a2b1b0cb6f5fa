using Recovery.Relapse.Monitorings;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Protocols;

namespace Recovery.Relapse.Rules;

/// <summary>The command on a clinic's relapse-rule setting: one stream per clinic, created by the first choice.</summary>
public static class ClinicRelapseRuleCommands
{
    public static void MapClinicRelapseRuleCommands(this IEndpointRouteBuilder policy) =>
        new CommandTable<ClinicRelapseRule, RelapseProtocol>(policy, "settingId", id => MonitoringRecords.NotFound(id), _ => Guid.Empty,
                ClinicRelapseRuleEvolution.Evolve, ProtocolOf, (setting, protocol, _, _) => ClinicRelapseRules.ViewOf(setting, protocol),
                _ => "/relapse-rule")
            .Put("/relapse-rule", "Choose the clinic's relapse rule",
                (ChooseRelapseRuleRequest r, CommandContext c) => r.Validate(c.Now), (_, c) => ClinicRelapseRules.SettingIdOf(c.ClinicId),
                (current, cmd, _, c) => ClinicRelapseRules.Decide(current, ClinicRelapseRules.SettingIdOf(c.ClinicId), cmd));

    private static Task<RelapseProtocol> ProtocolOf(ClinicRelapseRule? _, object __, CommandContext c) =>
        Task.FromResult(c.Service<ClinicProtocols<RelapseProtocol>>().For(c.ClinicId));
}
