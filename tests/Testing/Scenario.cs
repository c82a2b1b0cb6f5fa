using System.Text.Json;
using System.Text.Json.Serialization;
using Recovery.BuildingBlocks.Domain;
using Xunit;

namespace Recovery.Testing;

/// <summary>Given events / When command / Then events or error, on pure decision functions.</summary>
public sealed class Scenario<TState>(Func<IEnumerable<object>, TState> fold)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private object[] _given = [];
    private Decision? _decision;

    public Scenario<TState> Given(params object[] events)
    {
        _given = events;
        return this;
    }

    public Scenario<TState> When(Func<TState, Decision> decide)
    {
        _decision = decide(fold(_given));
        return this;
    }

    public void Then(params object[] expected)
    {
        var decision = _decision ?? throw new InvalidOperationException("When was not called.");
        Assert.Null(decision.Error);
        // Records holding lists compare by reference; compare what would be stored instead.
        Assert.Equal(expected.Select(Describe), decision.Events.Select(Describe));
    }

    public DomainError ThenRejected(ErrorKind kind, string rule)
    {
        var decision = _decision ?? throw new InvalidOperationException("When was not called.");
        Assert.Empty(decision.Events);
        var error = Assert.IsType<DomainError>(decision.Error);
        Assert.Equal(rule, error.Rule);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private static string Describe(object e) => e.GetType().Name + JsonSerializer.Serialize(e, e.GetType(), Json);
}
