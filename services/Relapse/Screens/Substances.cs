namespace Recovery.Relapse.Screens;

/// <summary>The substances a urine drug screen panel reports. Opiates is LOINC 3879-4.</summary>
public enum Substance
{
    Opiates,
    Fentanyl,
    Oxycodone,
    Methadone,
    Buprenorphine,
    Cocaine,
    Amphetamines,
    Benzodiazepines,
    Cannabis,
}

public enum ScreenResult
{
    Positive,
    Negative,
    NotCollected,
}

public static class Substances
{
    /// <summary>The opioids of the panel: a positive for any of them, unless it is the prescribed one, is opioid use.</summary>
    public static readonly IReadOnlySet<Substance> Opioids =
        new HashSet<Substance> { Substance.Opiates, Substance.Fentanyl, Substance.Oxycodone, Substance.Methadone, Substance.Buprenorphine };

    /// <summary>
    /// The maintenance medication whose presence in urine is expected after detox (methadone, buprenorphine);
    /// extended-release naltrexone is not an opioid, so nothing is expected.
    /// </summary>
    public static Substance? PrescribedOpioidOf(string medication) => medication switch
    {
        "methadone" => Substance.Methadone,
        "buprenorphine" => Substance.Buprenorphine,
        _ => null,
    };

    /// <summary>
    /// The opioid medication the patient was receiving when a screen was collected on <paramref name="collectedOn"/>: the
    /// detox medication through the detox's last day (<paramref name="detoxEndedOn"/>) and the residual days after it, then
    /// none, since monitoring follows the end of the detox (a completed taper, or a dropout).
    /// </summary>
    public static Substance? PrescribedAt(Substance? detoxMedication, DateOnly detoxEndedOn, DateOnly collectedOn, int residualDays) =>
        collectedOn <= detoxEndedOn.AddDays(residualDays) ? detoxMedication : null;

    public static IReadOnlyList<Substance> NonPrescribedOpioidsPositive(
        IReadOnlyDictionary<Substance, ScreenResult> results, Substance? prescribedOpioid) =>
        results.Where(r => r.Value == ScreenResult.Positive && Opioids.Contains(r.Key) && r.Key != prescribedOpioid)
            .Select(r => r.Key).Order().ToList();
}
