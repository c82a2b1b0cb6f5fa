using Recovery.BuildingBlocks.Commands;
using Recovery.Counseling.Corrections;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Counseling.Patients;

namespace Recovery.Counseling.Sessions;

/// <summary>Every command on an individual counseling session, one line each; each fact carries the patient's current episode.</summary>
public static class CounselingSessionCommands
{
    public static void MapCounselingSessionCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<CounselingSession, Guid?>(api, "sessionId", SessionView.NotFound, s => s.PatientId, CounselingSessionEvolution.Evolve,
                CurrentEpisode, (s, _, _, personal) => SessionView.Of(s, personal), s => $"/counseling-sessions/{s.Id}", SessionView.HoldsPersonalText)
            .Start("/counseling-sessions", "Schedule an individual counseling session",
                (ScheduleSessionRequest r, CommandContext c) => r.Validate(c.Now), (cmd, _) => cmd.SessionId,
                (cmd, c) => KnownPatients.Find(c.Session, cmd.PatientId, c.Cancellation), (patient, cmd, _) => SessionScheduling.Decide(patient, cmd))
            .On("/counseling-sessions/{sessionId}/attendance", "Record that the patient attended",
                (RecordAttendanceRequest r, CommandContext c) => r.Validate(c.Now),
                (s, cmd, episode, c) => SessionAttendance.Decide(s, cmd, episode, c.Service<ClinicProtocols<CounselingProtocol>>().For(c.ClinicId), c.Seal),
                seals: cmd => cmd.Note is not null)
            .On<RecordNoShow>("/counseling-sessions/{sessionId}/no-show", "Record that the patient did not come",
                c => new RecordNoShow(c.Now), (s, cmd, episode, _) => SessionNoShow.Decide(s, cmd, episode))
            .On("/counseling-sessions/{sessionId}/cancellation", "Cancel a session",
                (CancelSessionRequest r, CommandContext c) => r.Validate(c.Now), (s, cmd, episode, c) => SessionCancellation.Decide(s, cmd, episode, c.Seal),
                seals: cmd => cmd.Reason is not null, emptyBody: () => new CancelSessionRequest(null))
            .Corrects((s, fact, correction, episode, c) => SessionCorrections.Decide(s, fact, correction, episode, c.Seal));

    /// <summary>The episode the patient is in when the fact is recorded (none for a session not yet stored).</summary>
    private static Task<Guid?> CurrentEpisode(CounselingSession? session, object _, CommandContext c) =>
        session is null ? Task.FromResult<Guid?>(null) : KnownPatients.CurrentEpisodeOf(c.Session, session.PatientId, c.Cancellation);
}
