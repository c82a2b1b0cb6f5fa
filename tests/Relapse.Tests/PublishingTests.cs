using JasperFx.Events;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.Publishing;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.ReturnToTreatment;
using Recovery.Relapse.Rules;
using Recovery.Relapse.Screens;
using static Recovery.Relapse.Tests.MonitoringFacts;
using V1 = Recovery.Contracts.Relapse.V1;

namespace Recovery.Relapse.Tests;

public class PublishingTests
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static object? Publish<T>(T data) where T : notnull =>
        new RelapseIntegrationEvents().ToIntegrationEvent(new Event<T>(data) { TenantId = Clinic, Timestamp = At });

    [Fact]
    public void Every_relapse_contract_is_produced()
    {
        object[] domainEvents =
        [
            OnMethadone,
            Screen(Week(1), Substance.Methadone, (Substance.Opiates, ScreenResult.Negative), (Substance.Methadone, ScreenResult.Positive)),
            new UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedSubstance.OtherOpioid, Week(1)),
            new VisitMissed(MonitoringId, PatientId, EpisodeId, VisitSource.HelpGroupMeeting, Week(1), Guid.Empty),
            Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)),
            new RelapseRetracted(MonitoringId, PatientId, EpisodeId, RelapseRules.Ctn0094ReturnToUse, Week(2), RelapseRules.AnyPositiveAfterDetox, Week(7)),
            new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, Guid.Empty, "clinic-south", Week(8), true),
        ];
        var published = domainEvents.Select(e => (object)PublishAny((dynamic)e)!).Select(e => e.GetType()).ToList();
        var contracts = typeof(V1.MonitoringStarted).Assembly.GetTypes().Where(t => t.Namespace == typeof(V1.MonitoringStarted).Namespace && !t.IsNested);
        Assert.Equal(contracts.Select(t => t.Name).Order(), published.Select(t => t.Name).Order());
    }

    private static object? PublishAny<T>(T data) where T : notnull => Publish(data);

    [Fact]
    public void A_screen_travels_in_kebab_case_with_the_clinic_and_episode()
    {
        var screen = Assert.IsType<V1.UrineScreenRecorded>(Publish(
            Screen(Week(1), null, (Substance.Opiates, ScreenResult.NotCollected), (Substance.Benzodiazepines, ScreenResult.Positive))));
        Assert.Equal(Clinic, screen.ClinicId);
        Assert.Equal(EpisodeId, screen.EpisodeId);
        Assert.Equal(At, screen.OccurredAt);
        Assert.Equal("not-collected", screen.Results["opiates"]);
        Assert.Equal("positive", screen.Results["benzodiazepines"]);
    }

    [Fact]
    public void Monitoring_start_names_the_prescribed_opioid_and_outcome()
    {
        var started = Assert.IsType<V1.MonitoringStarted>(Publish(OnMethadone));
        Assert.Equal("methadone", started.PrescribedOpioid);
        Assert.Equal("completed", started.DetoxOutcome);
        Assert.Equal(RelapseRules.Ctn0094ReturnToUse, started.Rule);
    }

    [Fact]
    public void The_clinics_rule_choice_is_not_published() =>
        Assert.Null(Publish(new RelapseRuleChosen(Guid.Empty, RelapseRules.AnyPositiveAfterDetox, RelapseRules.Ctn0094ReturnToUse, At)));

    [Fact]
    public void A_dropped_missed_visit_is_published_as_the_visit_entered_in_error()
    {
        var visitEventId = Guid.NewGuid();
        var correction = Assert.IsType<Recovery.Contracts.Corrections.V1.FactEnteredInError>(
            Publish(new MissedVisitDropped(MonitoringId, PatientId, EpisodeId, Guid.NewGuid(), visitEventId, 3)));
        Assert.Equal((visitEventId, "visit-missed", Clinic, EpisodeId), (correction.EnteredInErrorEventId, correction.Kind, correction.ClinicId,
            correction.EpisodeId));
    }
}
