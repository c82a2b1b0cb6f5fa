using Recovery.BuildingBlocks.Time;
using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Clinical;

namespace Recovery.Relapse.Rules;

/// <summary>A clinic chose the rule by which relapse is derived from now on.</summary>
public sealed record RelapseRuleChosen(Guid SettingId, string Rule, string PreviousRule, DateTimeOffset ChosenAt);

public sealed record ChooseRelapseRule(string Rule, DateTimeOffset Now);

public sealed record ChooseRelapseRuleRequest(string? Rule)
{
    public Validated<ChooseRelapseRule> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var rule = errors.RequiredText("rule", Rule, 100);
        if (errors.Any) return errors.ToError();
        return new ChooseRelapseRule(rule!, now);
    }
}

/// <summary>The clinic's relapse-rule setting: one stream per clinic, in the clinic's tenant.</summary>
public sealed record ClinicRelapseRule
{
    public Guid Id { get; init; }
    public string Rule { get; init; } = RelapseRules.Default;
    public DateTimeOffset? ChosenAt { get; init; }
}

public static class ClinicRelapseRuleEvolution
{
    public static ClinicRelapseRule Evolve(ClinicRelapseRule? state, object @event) => @event switch
    {
        RelapseRuleChosen e => new ClinicRelapseRule { Id = e.SettingId, Rule = e.Rule, ChosenAt = e.ChosenAt },
        _ => state ?? new ClinicRelapseRule(),
    };

    public static ClinicRelapseRule? Fold(IEnumerable<object> events) => events.Aggregate((ClinicRelapseRule?)null, Evolve);
}

public sealed class ClinicRelapseRuleProjection : SingleStreamProjection<ClinicRelapseRule, Guid>
{
    public ClinicRelapseRuleProjection() => IncludeType<RelapseRuleChosen>();

    public override ClinicRelapseRule Evolve(ClinicRelapseRule? snapshot, Guid id, IEvent e) => ClinicRelapseRuleEvolution.Evolve(snapshot, e.Data);
}

/// <summary>
/// The rule as the API shows it, with the protocol the rules use at this clinic, and the field's published definitions a
/// clinic may choose instead (each with its reference, exact definition and source).
/// </summary>
public sealed record RelapseRuleView(string Rule, bool IsDefault, DateTimeOffset? ChosenAt, RelapseProtocol Protocol, IReadOnlyList<string> KnownRules,
    IReadOnlyList<RelapseDefinition> PublishedDefinitions);

public static class ClinicRelapseRules
{
    /// <summary>One setting per clinic: a deterministic id, so two first choices collide in the event store itself.</summary>
    public static Guid SettingIdOf(string clinicId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"relapse-rule\n{clinicId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // RFC 4122 name-based layout
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The rule the clinic applies now (the default until it chooses one) and its protocol.</summary>
    public static async Task<RelapseCheck> CheckFor(IQuerySession session, string clinicId, ClinicProtocols<RelapseProtocol> protocols,
        CancellationToken ct) =>
        new(await RuleOf(session, clinicId, ct), protocols.For(clinicId));

    public static async Task<string> RuleOf(IQuerySession session, string clinicId, CancellationToken ct) =>
        (await session.LoadAsync<ClinicRelapseRule>(SettingIdOf(clinicId), ct))?.Rule ?? RelapseRules.Default;

    /// <summary>Only a known rule can be chosen; choosing the current one again changes nothing.</summary>
    public static Decision Decide(ClinicRelapseRule? current, Guid settingId, ChooseRelapseRule command)
    {
        if (!RelapseRules.IsKnown(command.Rule))
            return DomainError.RuleBroken("unknown-relapse-rule",
                $"'{command.Rule}' is not a relapse rule; the known rules are {string.Join(", ", RelapseRules.Known)}.",
                new Dictionary<string, string[]> { ["rule"] = [$"must be one of {string.Join(", ", RelapseRules.Known)}"] },
                new Dictionary<string, object?> { ["rule"] = command.Rule, ["knownRules"] = RelapseRules.Known });
        var previous = current?.Rule ?? RelapseRules.Default;
        return previous == command.Rule && current is not null
            ? Decision.Accept()
            : Decision.Accept(new RelapseRuleChosen(settingId, command.Rule, previous, command.Now));
    }

    internal static async Task<IResult> Get(IQuerySession session, ClinicProtocols<RelapseProtocol> protocols, CancellationToken ct)
    {
        var setting = await session.LoadAsync<ClinicRelapseRule>(SettingIdOf(session.TenantId), ct);
        return Results.Ok(ViewOf(setting, protocols.For(session.TenantId)));
    }

    public static RelapseRuleView ViewOf(ClinicRelapseRule? setting, RelapseProtocol protocol) =>
        new(setting?.Rule ?? RelapseRules.Default, setting is null, setting?.ChosenAt, protocol, RelapseRules.Known, RelapseDefinitions.All);
}
