using Recovery.Assessment.Withdrawal;
using Recovery.BuildingBlocks.Domain;
using Recovery.Clinical;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class WithdrawalScoringTests
{
    private static Dictionary<CowsItem, int> Items(int pulse = 0, int restlessness = 0, int gooseflesh = 0, int yawning = 0)
    {
        var items = Enum.GetValues<CowsItem>().ToDictionary(i => i, _ => 0);
        items[CowsItem.RestingPulseRate] = pulse;
        items[CowsItem.Restlessness] = restlessness;
        items[CowsItem.GoosefleshSkin] = gooseflesh;
        items[CowsItem.Yawning] = yawning;
        return items;
    }

    [Theory]
    [InlineData(4, 0, 0, 0, 4, WithdrawalBand.NoActiveWithdrawal)]
    [InlineData(4, 1, 0, 0, 5, WithdrawalBand.Mild)]
    [InlineData(4, 5, 3, 0, 12, WithdrawalBand.Mild)]
    [InlineData(4, 5, 3, 1, 13, WithdrawalBand.Moderate)]
    public void Scores_total_and_band(int pulse, int restlessness, int gooseflesh, int yawning, int total, WithdrawalBand band)
    {
        var items = Items(pulse, restlessness, gooseflesh, yawning);
        Scenario()
            .Given(Started)
            .When(a => WithdrawalScoring.Decide(a, new ScoreWithdrawal(Now, items)))
            .Then(new WithdrawalScored(AssessmentId, PatientId, Now, items, total, band));
    }

    [Fact]
    public void An_item_score_off_its_scale_is_refused_naming_the_item_and_its_scale()
    {
        var error = Scenario()
            .Given(Started)
            .When(a => WithdrawalScoring.Decide(a, new ScoreWithdrawal(Now, Items(restlessness: 2))))
            .ThenRejected(ErrorKind.RuleBroken, "cows-item-off-scale");
        var message = Assert.Single(error.Errors!["items.restlessness"]);
        Assert.Contains("0, 1, 3, 5", message);
    }

    [Fact]
    public void Request_names_every_missing_and_unknown_item()
    {
        var request = new ScoreWithdrawalRequest(Now, new Dictionary<string, int?> { ["sweating"] = 1, ["mood"] = 2, ["tremor"] = null });
        var error = request.Validate(Now).Error!;
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains("items.mood", error.Errors!.Keys);
        Assert.Contains("items.tremor", error.Errors.Keys);
        Assert.Contains("items.gooseflesh-skin", error.Errors.Keys);
        Assert.DoesNotContain("items.sweating", error.Errors.Keys);
    }

    [Fact]
    public void A_score_in_the_future_is_refused()
    {
        var request = new ScoreWithdrawalRequest(Now.AddHours(1),
            Enum.GetValues<CowsItem>().ToDictionary(i => Kebab.Of(i), _ => (int?)0));
        Assert.Contains("scoredAt", request.Validate(Now).Error!.Errors!.Keys);
    }
}
