using Recovery.Clinical;

namespace Recovery.Clinical.Tests;

public class KebabTests
{
    [Theory]
    [InlineData("gi-upset", CowsItem.GiUpset)]
    [InlineData("giUpset", CowsItem.GiUpset)]
    [InlineData("GiUpset", CowsItem.GiUpset)]
    [InlineData("resting-pulse-rate", CowsItem.RestingPulseRate)]
    public void Parses_kebab_camel_and_pascal(string text, CowsItem expected)
    {
        Assert.True(Kebab.TryParse<CowsItem>(text, out var item));
        Assert.Equal(expected, item);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("pulse")]
    public void Rejects_numbers_and_unknown_names(string? text) => Assert.False(Kebab.TryParse<CowsItem>(text, out _));

    [Fact]
    public void Writes_lower_case_kebab() => Assert.Equal("runny-nose-or-tearing", Kebab.Of(CowsItem.RunnyNoseOrTearing));
}
