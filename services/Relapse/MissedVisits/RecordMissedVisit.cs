using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using CorrectionsV1 = Recovery.Contracts.Corrections.V1;
using Counseling = Recovery.Contracts.Counseling.V1;
using Detox = Recovery.Contracts.Detox.V1;

namespace Recovery.Relapse.MissedVisits;

public enum VisitSource
{
    CounselingSession,
    HelpGroupMeeting,
    Dose,
}

/// <summary>
/// A visit the patient missed, learned from the service that scheduled it (<paramref name="SourceRecordId"/> is its session,
/// group or plan; <paramref name="SourceEventId"/> the event id of the fact that reported it, by which a correction names it;
/// null on visits recorded before it was kept).
/// </summary>
public sealed record VisitMissed(Guid MonitoringId, Guid PatientId, Guid? EpisodeId, VisitSource Source, DateOnly MissedOn, Guid SourceRecordId,
    Guid? SourceEventId = null);

public sealed record RecordMissedVisit(VisitSource Source, DateOnly MissedOn, Guid SourceRecordId, Guid SourceEventId);

/// <summary>
/// A missed visit dropped: the fact it was learned from (<paramref name="SourceEventId"/>, a no-show) was entered in error at the
/// service that recorded it. <paramref name="VisitEventId"/> and <paramref name="VisitVersion"/> name the dropped VisitMissed.
/// </summary>
public sealed record MissedVisitDropped(Guid MonitoringId, Guid PatientId, Guid? EpisodeId, Guid SourceEventId, Guid VisitEventId,
    long VisitVersion);

public sealed record DropMissedVisit(Guid SourceEventId, Guid VisitEventId);

public static class MissedVisitRecording
{
    /// <summary>
    /// Nothing is refused here: the fact happened elsewhere. A visit missed after the monitoring closed, or before it
    /// began (a detox dose reported late), is not part of this monitoring and is ignored.
    /// </summary>
    public static Decision Decide(Monitoring monitoring, RecordMissedVisit command, RelapseCheck check)
    {
        if (!monitoring.IsOpen || command.MissedOn < monitoring.StartedOn) return Decision.Accept();
        var missed = new VisitMissed(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, command.Source, command.MissedOn,
            command.SourceRecordId, command.SourceEventId);
        return Decision.Accept(RelapseDetection.After(monitoring, [missed], check, command.MissedOn));
    }

    /// <summary>
    /// The visit learned from a fact since entered in error is dropped, open monitoring or closed: it never happened. A missed
    /// visit is no evidence of use (only the moment the rule was evaluated), so no relapse rests on it and none is re-derived.
    /// A fact that reported no visit here, or one dropped already, changes nothing.
    /// </summary>
    public static Decision Drop(Monitoring monitoring, DropMissedVisit command) =>
        monitoring.MissedVisits.FirstOrDefault(v => v.SourceEventId == command.SourceEventId) is { } visit
            ? Decision.Accept(new MissedVisitDropped(monitoring.Id, monitoring.PatientId, monitoring.EpisodeId, command.SourceEventId,
                command.VisitEventId, visit.AtVersion))
            : Decision.Accept();

    /// <summary>Appends to the patient's open monitoring at the message's clinic; a patient not monitored there is ignored.</summary>
    internal static async Task Record(IDocumentSession session, Guid patientId, string clinicId, RecordMissedVisit command,
        ClinicProtocols<RelapseProtocol> protocols, CancellationToken ct)
    {
        if (await MonitoringRecords.OpenOf(session, patientId, ct) is not { } open) return;
        var check = await ClinicRelapseRules.CheckFor(session, clinicId, protocols, ct);
        await ConsumerStreams.Decide<Monitoring>(session, open.Id, monitoring => Decide(monitoring, command, check), ct);
    }

    /// <summary>Finds the patient's monitoring holding a visit learned from the fact, and the visit's own event id (for the correction Relapse publishes).</summary>
    internal static async Task Drop(IDocumentSession session, Guid patientId, Guid sourceEventId, CancellationToken ct)
    {
        var monitorings = await session.Query<Monitoring>().Where(m => m.PatientId == patientId).ToListAsync(ct);
        var held = monitorings.Select(m => (m.Id, Visit: m.MissedVisits.FirstOrDefault(v => v.SourceEventId == sourceEventId)))
            .FirstOrDefault(h => h.Visit is not null);
        if (held.Visit is null) return;
        var visit = await session.Events.QueryAllRawEvents().Where(e => e.StreamId == held.Id && e.Version == held.Visit.AtVersion).FirstAsync(ct);
        await ConsumerStreams.Decide<Monitoring>(session, held.Id, monitoring => Drop(monitoring, new DropMissedVisit(sourceEventId, visit.Id)), ct);
    }
}

public sealed class RecordMissedCounselingSession(IDocumentStore store, ClinicProtocols<RelapseProtocol> protocols,
    ILogger<RecordMissedCounselingSession> logger) : IdempotentConsumer<Counseling.CounselingSessionMissed>(store, logger)
{
    protected override string TenantOf(Counseling.CounselingSessionMissed message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<Counseling.CounselingSessionMissed> context)
    {
        var m = context.Message;
        // The session's own calendar day, in the clinic's offset as scheduled.
        var missedOn = DateOnly.FromDateTime(m.ScheduledFor.DateTime);
        return MissedVisitRecording.Record(session, m.PatientId, m.ClinicId,
            new RecordMissedVisit(VisitSource.CounselingSession, missedOn, m.SessionId, context.MessageId!.Value), protocols, context.CancellationToken);
    }
}

public sealed class RecordMissedHelpGroupMeeting(IDocumentStore store, ClinicProtocols<RelapseProtocol> protocols,
    ILogger<RecordMissedHelpGroupMeeting> logger) : IdempotentConsumer<Counseling.HelpGroupMeetingMissed>(store, logger)
{
    protected override string TenantOf(Counseling.HelpGroupMeetingMissed message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<Counseling.HelpGroupMeetingMissed> context)
    {
        var m = context.Message;
        return MissedVisitRecording.Record(session, m.PatientId, m.ClinicId,
            new RecordMissedVisit(VisitSource.HelpGroupMeeting, m.MeetingOn, m.GroupId, context.MessageId!.Value), protocols, context.CancellationToken);
    }
}

public sealed class RecordMissedDose(IDocumentStore store, ClinicProtocols<RelapseProtocol> protocols, ILogger<RecordMissedDose> logger)
    : IdempotentConsumer<Detox.DoseMissed>(store, logger)
{
    protected override string TenantOf(Detox.DoseMissed message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<Detox.DoseMissed> context)
    {
        var m = context.Message;
        return MissedVisitRecording.Record(session, m.PatientId, m.ClinicId,
            new RecordMissedVisit(VisitSource.Dose, m.MissedOn, m.PlanId, context.MessageId!.Value), protocols, context.CancellationToken);
    }
}

/// <summary>A fact entered in error at its service: the missed visit learned from it (a counseling no-show), if any, is dropped.</summary>
public sealed class DropMissedVisitOnFactEnteredInError(IDocumentStore store, ILogger<DropMissedVisitOnFactEnteredInError> logger)
    : IdempotentConsumer<CorrectionsV1.FactEnteredInError>(store, logger)
{
    protected override string TenantOf(CorrectionsV1.FactEnteredInError message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<CorrectionsV1.FactEnteredInError> context) =>
        MissedVisitRecording.Drop(session, context.Message.PatientId, context.Message.EnteredInErrorEventId, context.CancellationToken);
}
