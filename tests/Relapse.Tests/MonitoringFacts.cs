using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;

namespace Recovery.Relapse.Tests;

/// <summary>Events of one monitoring, to state the Given of a scenario briefly. Week n begins on <see cref="Week"/>(n).</summary>
internal static class MonitoringFacts
{
    public static readonly Guid MonitoringId = Guid.Parse("0190b000-0000-7000-8000-000000000001");
    public static readonly Guid PatientId = Guid.Parse("0190b000-0000-7000-8000-0000000000aa");
    public static readonly Guid EpisodeId = Guid.Parse("0190b000-0000-7000-8000-0000000000e1");
    public const string Clinic = "clinic-north";
    public static readonly DateOnly StartedOn = new(2026, 3, 2);

    public static readonly RelapseCheck Ctn = new(RelapseRules.Ctn0094ReturnToUse, new RelapseProtocol());
    public static readonly RelapseCheck AnyPositive = new(RelapseRules.AnyPositiveAfterDetox, new RelapseProtocol());

    public static Scenario<Monitoring> Scenario() => new(MonitoringEvolution.Fold);

    /// <summary>The first day of week <paramref name="n"/> (week 1 = days 0-6 from StartedOn).</summary>
    public static DateOnly Week(int n) => StartedOn.AddDays(7 * (n - 1));

    public static MonitoringStarted Started(Substance? prescribed = null, string medication = "extended-release-naltrexone") =>
        new(MonitoringId, PatientId, Clinic, EpisodeId, MonitoringId, medication, DetoxOutcome.Completed, StartedOn, prescribed,
            RelapseRules.Ctn0094ReturnToUse);

    public static MonitoringStarted OnMethadone => Started(Substance.Methadone, "methadone");

    public static UrineScreenRecorded Screen(DateOnly on, Substance? prescribed, params (Substance Substance, ScreenResult Result)[] results)
    {
        var panel = results.ToDictionary(r => r.Substance, r => r.Result);
        return new UrineScreenRecorded(MonitoringId, PatientId, EpisodeId, on, panel,
            Substances.NonPrescribedOpioidsPositive(panel, prescribed).Count > 0, panel.Values.All(r => r == ScreenResult.NotCollected));
    }

    public static UrineScreenRecorded Negative(DateOnly on) => Screen(on, null, (Substance.Opiates, ScreenResult.Negative));

    public static UrineScreenRecorded Positive(DateOnly on, Substance substance = Substance.Fentanyl) =>
        Screen(on, null, (Substance.Opiates, ScreenResult.Negative), (substance, ScreenResult.Positive));

    public static UrineScreenRecorded NotCollected(DateOnly on) => Screen(on, null, (Substance.Opiates, ScreenResult.NotCollected));

    public static Monitoring Fold(params object[] events) => MonitoringEvolution.Fold(events);

    public static RelapseDetected Detected(string evidence, DateOnly relapsedOn, DateOnly asOf, string rule = RelapseRules.Ctn0094ReturnToUse) =>
        new(MonitoringId, PatientId, EpisodeId, rule, relapsedOn, evidence, asOf);
}
