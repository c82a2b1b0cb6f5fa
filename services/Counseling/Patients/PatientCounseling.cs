using Marten;
using Recovery.BuildingBlocks.Http;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Sessions;

namespace Recovery.Counseling.Patients;

/// <summary>A patient's counseling at this clinic: their sessions (without notes) and their help groups.</summary>
public sealed record PatientCounseling(
    Guid PatientId,
    Guid? CurrentEpisodeId,
    IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<GroupMembership> Groups)
{
    internal static async Task<IResult> Get(Guid patientId, IQuerySession session, CancellationToken ct)
    {
        if (await KnownPatients.Find(session, patientId, ct) is not { } patient)
            return Problems.From(KnownPatients.NotRegistered(patientId));
        var sessions = await session.Query<CounselingSession>().Where(s => s.PatientId == patientId)
            .OrderBy(s => s.ScheduledFor).ToListAsync(ct);
        var memberships = await session.Query<HelpGroupMember>().Where(m => m.PatientId == patientId).ToListAsync(ct);
        var groups = await session.LoadManyAsync<HelpGroup>(ct, memberships.Select(m => m.GroupId));
        var groupOf = groups.ToDictionary(g => g.Id);
        return Results.Ok(new PatientCounseling(patientId, patient.CurrentEpisodeId,
            sessions.Select(SessionSummary.Of).ToList(),
            memberships.Select(m => GroupMembership.Of(groupOf[m.GroupId], m.ToMember())).OrderBy(g => g.Name).ToList()));
    }
}
