using System.Reflection;
using System.Runtime.CompilerServices;
using JasperFx.Events.Projections;
using Recovery.BuildingBlocks.Corrections;
using Xunit;

namespace Recovery.Testing;

/// <summary>
/// Ties an aggregate's fold to its projection's event-type list: every event type the fold handles must be one the
/// projection includes, or the stored document would silently miss that event.
/// </summary>
public static class FoldCoverage
{
    /// <summary>
    /// Offers every type of <paramref name="assembly"/> to <paramref name="evolve"/> on top of <paramref name="state"/> (and
    /// on nothing, for a creating event): a type the fold acts on (a new state, or a throw on the blank instance) is an event
    /// it folds. Those, and each of <paramref name="produced"/>, must be exactly the projection's included types.
    /// </summary>
    /// <param name="produced">One of each event the aggregate's decisions produce (as the publishing tests list them).</param>
    public static void ProjectionIncludesEveryFoldedEvent<TState>(EventFilterable projection, Func<TState?, object, TState> evolve,
        TState state, Assembly assembly, IEnumerable<object> produced) where TState : class
    {
        // What the fold does with an event it does not know (it still counts it): the baseline a folded event differs from.
        var unknown = evolve(state, new object());
        var folded = new[] { assembly, typeof(FactEnteredInError).Assembly }.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && !typeof(Delegate).IsAssignableFrom(t))
            .Where(t => Folds(evolve, state, unknown, RuntimeHelpers.GetUninitializedObject(t)))
            .ToHashSet();
        var producedTypes = produced.Select(e => e.GetType()).ToList();
        foreach (var type in producedTypes)
            Assert.True(Folds(evolve, state, unknown, RuntimeHelpers.GetUninitializedObject(type)), $"{type.Name} is produced but not folded");
        folded.UnionWith(producedTypes);
        Assert.Equal(folded.Select(t => t.Name).Order(), projection.IncludedEventTypes.Select(t => t.Name).Order());
    }

    private static bool Folds<TState>(Func<TState?, object, TState> evolve, TState state, TState unknown, object candidate) where TState : class
    {
        try
        {
            return !Equals(evolve(state, candidate), unknown);
        }
        catch (Exception)
        {
            return true; // it reached the candidate's fields: the fold acts on this type
        }
    }
}
