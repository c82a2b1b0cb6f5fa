using Recovery.Clinical;

namespace Recovery.BuildingBlocks.Domain;

/// <summary>A COWS scoring as every service takes it: the same request shape, the same refusals.</summary>
public static class CowsScoring
{
    /// <summary>
    /// Reads the 11 named item scores of a request, naming every unknown, doubled or missing item. Whether each
    /// score is on its item's scale is a clinical rule (<see cref="OffScale"/>), decided after.
    /// </summary>
    public static Dictionary<CowsItem, int> CowsItems(this FieldErrors errors, Dictionary<string, int?>? items, string field = "items")
    {
        var scores = new Dictionary<CowsItem, int>();
        var named = new HashSet<CowsItem>();
        if (items is null)
        {
            errors.Add(field, "is required: the 11 COWS item scores");
            return scores;
        }
        foreach (var (name, score) in items)
        {
            if (!Kebab.TryParse<CowsItem>(name, out var item))
                errors.Add($"{field}.{name}", $"is not a COWS item; the items are {string.Join(", ", Kebab.AllOf<CowsItem>())}");
            else if (!named.Add(item)) errors.Add($"{field}.{name}", "is given twice");
            else if (score is null) errors.Add($"{field}.{name}", "is required");
            else scores[item] = score.Value;
        }
        foreach (var missing in Enum.GetValues<CowsItem>().Where(i => !named.Contains(i)))
            errors.Add($"{field}.{Kebab.Of(missing)}", "is required");
        return scores;
    }

    /// <summary>422 when an item is missing or a score is off its item's scale: never rounded, never clamped.</summary>
    public static DomainError? OffScale(IReadOnlyDictionary<CowsItem, int> items)
    {
        var (missing, invalid) = Cows.Check(items);
        if (missing.Count > 0)
            return DomainError.RuleBroken("cows-items-missing", "A COWS score needs all 11 items.",
                missing.ToDictionary(i => $"items.{Kebab.Of(i)}", _ => new[] { "is required" }));
        if (invalid.Count == 0) return null;
        return DomainError.RuleBroken("cows-item-off-scale",
            "COWS item scores must be on each item's own scale; they are never rounded or clamped: " +
            string.Join("; ", invalid.Select(e => $"{Kebab.Of(e.Item)} = {e.Score} (allowed {string.Join(", ", e.Allowed)})")),
            invalid.ToDictionary(e => $"items.{Kebab.Of(e.Item)}",
                e => new[] { $"{e.Score} is not on this item's scale; allowed: {string.Join(", ", e.Allowed)}" }),
            invalid.ToDictionary(e => Kebab.Of(e.Item), e => (object?)e.Score));
    }
}
