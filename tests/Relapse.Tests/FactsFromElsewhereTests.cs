using Recovery.BuildingBlocks.Domain;
using Recovery.Relapse.MissedVisits;
using Recovery.Relapse.ReportedUse;
using Recovery.Relapse.ReturnToTreatment;
using static Recovery.Relapse.Tests.MonitoringFacts;

namespace Recovery.Relapse.Tests;

/// <summary>Self-reported use and missed visits: stored, shown, and a moment to evaluate the rule, never its evidence.</summary>
public class FactsFromElsewhereTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid SessionId = Guid.Parse("0190b000-0000-7000-8000-0000000000c5");
    // The event id of the fact that reported the visit (a counseling no-show), and of the VisitMissed recorded here from it.
    private static readonly Guid NoShowEventId = Guid.Parse("0190b000-0000-7000-8000-0000000000f1");
    private static readonly Guid VisitEventId = Guid.Parse("0190b000-0000-7000-8000-0000000000f2");

    private static VisitMissed Missed(DateOnly on, VisitSource source = VisitSource.CounselingSession, Guid? sourceEventId = null) =>
        new(MonitoringId, PatientId, EpisodeId, source, on, SessionId, sourceEventId ?? NoShowEventId);

    private static RecordMissedVisit Record(VisitSource source, DateOnly on) => new(source, on, SessionId, NoShowEventId);

    [Fact]
    public void Reported_use_is_recorded() =>
        Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => UseReports.Decide(m, new ReportUse(ReportedSubstance.Heroin, Week(2)), Ctn))
            .Then(new UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedSubstance.Heroin, Week(2)));

    [Fact]
    public void Reported_use_is_no_evidence_but_the_weeks_that_ended_before_it_are() =>
        Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => UseReports.Decide(m, new ReportUse(ReportedSubstance.Fentanyl, Week(6)), Ctn))
            .Then(new UseSelfReported(MonitoringId, PatientId, EpisodeId, ReportedSubstance.Fentanyl, Week(6)),
                Detected("weeks 2-5: missing, missing, missing, missing", Week(2), Week(6)));

    [Fact]
    public void Reported_use_before_monitoring_began_is_refused() =>
        Scenario()
            .Given(Started())
            .When(m => UseReports.Decide(m, new ReportUse(ReportedSubstance.Heroin, StartedOn.AddDays(-3)), Ctn))
            .ThenRejected(ErrorKind.RuleBroken, "before-monitoring-start");

    [Fact]
    public void Reported_use_request_names_unknown_substances_and_future_dates()
    {
        var error = new ReportUseRequest("ketamine-ish", new DateOnly(2026, 6, 5)).Validate(Now).Error!;
        Assert.Equal(["substance", "usedOn"], error.Errors!.Keys.Order());
        Assert.Equal(ReportedSubstance.OtherOpioid, new ReportUseRequest("other-opioid", new DateOnly(2026, 5, 30)).Validate(Now).Value!.Substance);
    }

    [Theory]
    [InlineData(VisitSource.CounselingSession)]
    [InlineData(VisitSource.HelpGroupMeeting)]
    [InlineData(VisitSource.Dose)]
    public void A_missed_visit_is_recorded(VisitSource source) =>
        Scenario()
            .Given(Started(), Negative(Week(1)))
            .When(m => MissedVisitRecording.Decide(m, Record(source, Week(2).AddDays(2)), Ctn))
            .Then(Missed(Week(2).AddDays(2), source));

    [Fact]
    public void A_missed_visit_after_four_ended_weeks_without_screens_detects_the_relapse() =>
        Scenario()
            .Given(Started())
            .When(m => MissedVisitRecording.Decide(m, Record(VisitSource.Dose, Week(5)), Ctn))
            .Then(Missed(Week(5), VisitSource.Dose), Detected("weeks 1-4: missing, missing, missing, missing", StartedOn, Week(5)));

    [Fact]
    public void Missed_visits_alone_do_not_make_a_week_bad() =>
        Scenario()
            .Given(Started(), Negative(Week(1)), Negative(Week(2)), Missed(Week(2).AddDays(1)), Missed(Week(2).AddDays(3)))
            .When(m => MissedVisitRecording.Decide(m, Record(VisitSource.CounselingSession, Week(4).AddDays(6)), Ctn))
            .Then(Missed(Week(4).AddDays(6)));

    [Fact]
    public void A_visit_missed_before_monitoring_began_belongs_to_the_detox_and_is_ignored() =>
        Scenario()
            .Given(Started())
            .When(m => MissedVisitRecording.Decide(m, Record(VisitSource.Dose, StartedOn.AddDays(-1)), Ctn))
            .Then();

    [Fact]
    public void A_visit_missed_after_the_monitoring_closed_is_ignored() =>
        Scenario()
            .Given(Started(), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, Guid.NewGuid(), Clinic, Week(2), false))
            .When(m => MissedVisitRecording.Decide(m, Record(VisitSource.Dose, Week(3)), Ctn))
            .Then();

    [Fact]
    public void A_missed_visit_whose_no_show_was_entered_in_error_is_dropped_by_the_no_shows_event_id()
    {
        // Stream positions: 1 started, 2 the screen, 3 the visit from the no-show, 4 another visit.
        object[] given = [Started(), Negative(Week(1)), Missed(Week(2)), Missed(Week(2).AddDays(1), sourceEventId: Guid.NewGuid())];
        var dropped = new MissedVisitDropped(MonitoringId, PatientId, EpisodeId, NoShowEventId, VisitEventId, VisitVersion: 3);
        Scenario().Given(given)
            .When(m => MissedVisitRecording.Drop(m, new DropMissedVisit(NoShowEventId, VisitEventId)))
            .Then(dropped);
        Assert.Equal([Week(2).AddDays(1)], Fold([.. given, dropped]).MissedVisits.Select(v => v.MissedOn));
    }

    [Fact]
    public void A_correction_of_a_fact_that_reported_no_visit_here_drops_nothing() =>
        Scenario()
            .Given(Started(), Missed(Week(2)))
            .When(m => MissedVisitRecording.Drop(m, new DropMissedVisit(Guid.NewGuid(), VisitEventId)))
            .Then();

    [Fact]
    public void A_missed_visit_is_dropped_once() =>
        Scenario()
            .Given(Started(), Missed(Week(2)), new MissedVisitDropped(MonitoringId, PatientId, EpisodeId, NoShowEventId, VisitEventId, 2))
            .When(m => MissedVisitRecording.Drop(m, new DropMissedVisit(NoShowEventId, VisitEventId)))
            .Then();

    [Fact]
    public void A_missed_visit_is_dropped_from_a_closed_monitoring_too() =>
        Scenario()
            .Given(Started(), Missed(Week(2)), new ReturnedToTreatment(MonitoringId, PatientId, EpisodeId, Guid.NewGuid(), Clinic, Week(3), false))
            .When(m => MissedVisitRecording.Drop(m, new DropMissedVisit(NoShowEventId, VisitEventId)))
            .Then(new MissedVisitDropped(MonitoringId, PatientId, EpisodeId, NoShowEventId, VisitEventId, 2));
}
