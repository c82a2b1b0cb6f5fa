using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using Recovery.Detox.Plans;
using Recovery.Detox.Withdrawal;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class WithdrawalCheckTests
{
    [Theory]
    [InlineData(4, WithdrawalBand.NoActiveWithdrawal)]
    [InlineData(5, WithdrawalBand.Mild)]
    [InlineData(13, WithdrawalBand.Moderate)]
    [InlineData(37, WithdrawalBand.Severe)]
    public void Scores_total_and_band_on_the_assessment_scale(int total, WithdrawalBand band)
    {
        var items = ItemsTotalling(total);
        Scenario()
            .Given(Drafted(Medication.Buprenorphine))
            .When(p => WithdrawalChecks.Decide(p, new CheckWithdrawal(Now, items)))
            .Then(new WithdrawalChecked(PlanId, PatientId, EpisodeId, Now, items, total, band));
    }

    [Fact]
    public void An_item_score_off_its_scale_is_refused_naming_the_item_and_its_scale()
    {
        var items = ItemsTotalling(0);
        items[CowsItem.GoosefleshSkin] = 4;
        var error = Scenario()
            .Given(Drafted(Medication.Buprenorphine))
            .When(p => WithdrawalChecks.Decide(p, new CheckWithdrawal(Now, items)))
            .ThenRejected(ErrorKind.RuleBroken, "cows-item-off-scale");
        Assert.Contains("0, 3, 5", Assert.Single(error.Errors!["items.gooseflesh-skin"]));
        Assert.Equal(4, error.Values!["gooseflesh-skin"]);
    }

    [Fact]
    public void Request_names_every_missing_unknown_and_repeated_item()
    {
        var request = new CheckWithdrawalRequest(Now, new Dictionary<string, int?>
        {
            ["sweating"] = 1, ["Sweating"] = 1, ["mood"] = 2, ["tremor"] = null,
        });
        var error = request.Validate(Now).Error!;
        Assert.Contains("items.mood", error.Errors!.Keys);
        Assert.Contains("items.tremor", error.Errors.Keys);
        Assert.Contains("items.Sweating", error.Errors.Keys);
        Assert.Contains("items.gooseflesh-skin", error.Errors.Keys);
        Assert.DoesNotContain("items.sweating", error.Errors.Keys);
    }

    [Fact]
    public void A_check_in_the_future_is_refused() =>
        Assert.Contains("scoredAt", new CheckWithdrawalRequest(Now.AddHours(1),
            Enum.GetValues<CowsItem>().ToDictionary(i => Kebab.Of(i), _ => (int?)0)).Validate(Now).Error!.Errors!.Keys);
}
