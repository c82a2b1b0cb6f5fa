using Recovery.BuildingBlocks.Domain;
using Recovery.Relapse.Rules;

namespace Recovery.Relapse.Tests;

public class RelapseRuleChoiceTests
{
    private static readonly Guid SettingId = ClinicRelapseRules.SettingIdOf("clinic-north");
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static Scenario<ClinicRelapseRule?> Scenario() => new(ClinicRelapseRuleEvolution.Fold);

    [Fact]
    public void A_clinic_chooses_a_known_rule() =>
        Scenario()
            .When(s => ClinicRelapseRules.Decide(s, SettingId, new ChooseRelapseRule(RelapseRules.AnyPositiveAfterDetox, Now)))
            .Then(new RelapseRuleChosen(SettingId, RelapseRules.AnyPositiveAfterDetox, RelapseRules.Ctn0094ReturnToUse, Now));

    [Fact]
    public void An_unknown_rule_is_refused_with_the_known_rules()
    {
        var error = Scenario()
            .When(s => ClinicRelapseRules.Decide(s, SettingId, new ChooseRelapseRule("ctn-0094-return-to-use@2", Now)))
            .ThenRejected(ErrorKind.RuleBroken, "unknown-relapse-rule");
        Assert.Equal(RelapseRules.Known, error.Values!["knownRules"]);
    }

    [Fact]
    public void Choosing_the_current_rule_again_changes_nothing() =>
        Scenario()
            .Given(new RelapseRuleChosen(SettingId, RelapseRules.AnyPositiveAfterDetox, RelapseRules.Ctn0094ReturnToUse, Now.AddDays(-2)))
            .When(s => ClinicRelapseRules.Decide(s, SettingId, new ChooseRelapseRule(RelapseRules.AnyPositiveAfterDetox, Now)))
            .Then();

    [Fact]
    public void Going_back_records_the_rule_it_replaces() =>
        Scenario()
            .Given(new RelapseRuleChosen(SettingId, RelapseRules.AnyPositiveAfterDetox, RelapseRules.Ctn0094ReturnToUse, Now.AddDays(-2)))
            .When(s => ClinicRelapseRules.Decide(s, SettingId, new ChooseRelapseRule(RelapseRules.Ctn0094ReturnToUse, Now)))
            .Then(new RelapseRuleChosen(SettingId, RelapseRules.Ctn0094ReturnToUse, RelapseRules.AnyPositiveAfterDetox, Now));

    [Fact]
    public void Each_clinic_has_its_own_setting_stream()
    {
        Assert.Equal(SettingId, ClinicRelapseRules.SettingIdOf("clinic-north"));
        Assert.NotEqual(SettingId, ClinicRelapseRules.SettingIdOf("clinic-south"));
    }

    [Fact]
    public void A_rule_is_required()
    {
        var error = new ChooseRelapseRuleRequest(" ").Validate(Now).Error!;
        Assert.Equal(["rule"], error.Errors!.Keys);
    }
}
