using Recovery.Clinical;

namespace Recovery.Clinical.Tests;

public class CowsTests
{
    private static Dictionary<CowsItem, int> AllZero() => Enum.GetValues<CowsItem>().ToDictionary(i => i, _ => 0);

    [Theory]
    [InlineData(0, WithdrawalBand.NoActiveWithdrawal)]
    [InlineData(4, WithdrawalBand.NoActiveWithdrawal)]
    [InlineData(5, WithdrawalBand.Mild)]
    [InlineData(12, WithdrawalBand.Mild)]
    [InlineData(13, WithdrawalBand.Moderate)]
    [InlineData(24, WithdrawalBand.Moderate)]
    [InlineData(25, WithdrawalBand.ModeratelySevere)]
    [InlineData(36, WithdrawalBand.ModeratelySevere)]
    [InlineData(37, WithdrawalBand.Severe)]
    [InlineData(48, WithdrawalBand.Severe)]
    public void Bands_follow_the_published_cut_offs(int total, WithdrawalBand expected) =>
        Assert.Equal(expected, Cows.BandOf(total));

    [Fact]
    public void Each_item_has_its_own_scale()
    {
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.RestingPulseRate]);
        Assert.Equal([0, 1, 2, 3, 4], Cows.AllowedScores[CowsItem.Sweating]);
        Assert.Equal([0, 1, 3, 5], Cows.AllowedScores[CowsItem.Restlessness]);
        Assert.Equal([0, 1, 2, 5], Cows.AllowedScores[CowsItem.PupilSize]);
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.BoneOrJointAches]);
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.RunnyNoseOrTearing]);
        Assert.Equal([0, 1, 2, 3, 5], Cows.AllowedScores[CowsItem.GiUpset]);
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.Tremor]);
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.Yawning]);
        Assert.Equal([0, 1, 2, 4], Cows.AllowedScores[CowsItem.AnxietyOrIrritability]);
        Assert.Equal([0, 3, 5], Cows.AllowedScores[CowsItem.GoosefleshSkin]);
    }

    [Fact]
    public void The_highest_score_of_every_item_totals_48_and_is_severe()
    {
        var items = Cows.AllowedScores.ToDictionary(kv => kv.Key, kv => kv.Value.Max());
        var score = Cows.Score(items);
        Assert.Equal(Cows.MaximumTotal, score.Total);
        Assert.Equal(WithdrawalBand.Severe, score.Band);
    }

    [Fact]
    public void Total_is_the_sum_of_the_items()
    {
        var items = AllZero();
        items[CowsItem.RestingPulseRate] = 2;
        items[CowsItem.Restlessness] = 3;
        items[CowsItem.GoosefleshSkin] = 3;
        var score = Cows.Score(items);
        Assert.Equal(8, score.Total);
        Assert.Equal(WithdrawalBand.Mild, score.Band);
    }

    [Theory]
    [InlineData(CowsItem.RestingPulseRate, 3)]
    [InlineData(CowsItem.Restlessness, 2)]
    [InlineData(CowsItem.Restlessness, 4)]
    [InlineData(CowsItem.PupilSize, 3)]
    [InlineData(CowsItem.GiUpset, 4)]
    [InlineData(CowsItem.GoosefleshSkin, 1)]
    [InlineData(CowsItem.Sweating, 5)]
    [InlineData(CowsItem.Yawning, -1)]
    public void A_score_off_the_items_scale_is_reported_not_clamped(CowsItem item, int score)
    {
        var items = AllZero();
        items[item] = score;
        var (missing, invalid) = Cows.Check(items);
        Assert.Empty(missing);
        var error = Assert.Single(invalid);
        Assert.Equal(item, error.Item);
        Assert.Equal(score, error.Score);
        Assert.Throws<ArgumentException>(() => Cows.Score(items));
    }

    [Fact]
    public void Missing_items_are_reported()
    {
        var items = AllZero();
        items.Remove(CowsItem.Tremor);
        var (missing, invalid) = Cows.Check(items);
        Assert.Equal([CowsItem.Tremor], missing);
        Assert.Empty(invalid);
    }
}
