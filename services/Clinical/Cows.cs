namespace Recovery.Clinical;

/// <summary>The 11 clinician-rated items of the Clinical Opiate Withdrawal Scale.</summary>
public enum CowsItem
{
    RestingPulseRate,
    Sweating,
    Restlessness,
    PupilSize,
    BoneOrJointAches,
    RunnyNoseOrTearing,
    GiUpset,
    Tremor,
    Yawning,
    AnxietyOrIrritability,
    GoosefleshSkin,
}

public enum WithdrawalBand
{
    NoActiveWithdrawal,
    Mild,
    Moderate,
    ModeratelySevere,
    Severe,
}

/// <summary>A scored COWS: item scores, total and band.</summary>
public sealed record CowsScore(IReadOnlyDictionary<CowsItem, int> Items, int Total, WithdrawalBand Band);

/// <summary>One item score that is not on the item's scale.</summary>
public sealed record CowsItemError(CowsItem Item, int Score, IReadOnlyList<int> Allowed);

/// <summary>
/// Clinical Opiate Withdrawal Scale (Wesson &amp; Ling 2003; item anchors per the published form and
/// the VA VistA instrument spec). Each item has its own set of allowed scores; a score outside the
/// set is bad input and is rejected, never clamped.
/// </summary>
public static class Cows
{
    public static readonly IReadOnlyDictionary<CowsItem, IReadOnlyList<int>> AllowedScores =
        new Dictionary<CowsItem, IReadOnlyList<int>>
        {
            [CowsItem.RestingPulseRate] = [0, 1, 2, 4], // <=80, 81-100, 101-120, >120 bpm
            [CowsItem.Sweating] = [0, 1, 2, 3, 4],
            [CowsItem.Restlessness] = [0, 1, 3, 5],
            [CowsItem.PupilSize] = [0, 1, 2, 5],
            [CowsItem.BoneOrJointAches] = [0, 1, 2, 4],
            [CowsItem.RunnyNoseOrTearing] = [0, 1, 2, 4],
            [CowsItem.GiUpset] = [0, 1, 2, 3, 5],
            [CowsItem.Tremor] = [0, 1, 2, 4],
            [CowsItem.Yawning] = [0, 1, 2, 4],
            [CowsItem.AnxietyOrIrritability] = [0, 1, 2, 4],
            [CowsItem.GoosefleshSkin] = [0, 3, 5],
        };

    public const int MaximumTotal = 48;

    /// <summary>Items not given, and items whose score is off their scale; both empty means the score is valid.</summary>
    public static (IReadOnlyList<CowsItem> Missing, IReadOnlyList<CowsItemError> Invalid) Check(
        IReadOnlyDictionary<CowsItem, int> items)
    {
        var missing = Enum.GetValues<CowsItem>().Where(i => !items.ContainsKey(i)).ToList();
        var invalid = items
            .Where(kv => !AllowedScores[kv.Key].Contains(kv.Value))
            .Select(kv => new CowsItemError(kv.Key, kv.Value, AllowedScores[kv.Key]))
            .ToList();
        return (missing, invalid);
    }

    /// <summary>Scores a complete, valid set of items. Call <see cref="Check"/> first.</summary>
    public static CowsScore Score(IReadOnlyDictionary<CowsItem, int> items)
    {
        var (missing, invalid) = Check(items);
        if (missing.Count > 0 || invalid.Count > 0)
            throw new ArgumentException("COWS items are incomplete or off their scale; check them first.", nameof(items));
        var total = items.Values.Sum();
        return new CowsScore(new Dictionary<CowsItem, int>(items), total, BandOf(total));
    }

    /// <summary>Bands: &lt;5 none, 5-12 mild, 13-24 moderate, 25-36 moderately severe, &gt;36 severe.</summary>
    public static WithdrawalBand BandOf(int total) => total switch
    {
        < 5 => WithdrawalBand.NoActiveWithdrawal,
        <= 12 => WithdrawalBand.Mild,
        <= 24 => WithdrawalBand.Moderate,
        <= 36 => WithdrawalBand.ModeratelySevere,
        _ => WithdrawalBand.Severe,
    };
}
