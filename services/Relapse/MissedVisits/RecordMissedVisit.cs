using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Rules;
using Counseling = Recovery.Contracts.Counseling.V1;
using Detox = Recovery.Contracts.Detox.V1;

namespace Recovery.Relapse.MissedVisits;

public enum VisitSource
{
    CounselingSession,
    HelpGroupMeeting,
    Dose,
}

/// <summary>A visit the patient missed, learned from the service that scheduled it (<paramref name="SourceRecordId"/> is its session, group or plan).</summary>
public sealed record VisitMissed(Guid MonitoringId, Guid PatientId, Guid? EpisodeId, VisitSource Source, DateOnly MissedOn, Guid SourceRecordId);

public sealed record RecordMissedVisit(VisitSource Source, DateOnly MissedOn, Guid SourceRecordId);

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
            command.SourceRecordId);
        return Decision.Accept(RelapseDetection.After(monitoring, [missed], check, command.MissedOn));
    }

    /// <summary>Appends to the patient's open monitoring at the message's clinic; a patient not monitored there is ignored.</summary>
    internal static async Task Record(IDocumentSession session, Guid patientId, string clinicId, RecordMissedVisit command,
        ClinicProtocols<RelapseProtocol> protocols, CancellationToken ct)
    {
        if (await MonitoringRecords.OpenOf(session, patientId, ct) is not { } open) return;
        var check = await ClinicRelapseRules.CheckFor(session, clinicId, protocols, ct);
        await ConsumerStreams.Decide<Monitoring>(session, open.Id, monitoring => Decide(monitoring, command, check), ct);
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
            new RecordMissedVisit(VisitSource.CounselingSession, missedOn, m.SessionId), protocols, context.CancellationToken);
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
            new RecordMissedVisit(VisitSource.HelpGroupMeeting, m.MeetingOn, m.GroupId), protocols, context.CancellationToken);
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
            new RecordMissedVisit(VisitSource.Dose, m.MissedOn, m.PlanId), protocols, context.CancellationToken);
    }
}
