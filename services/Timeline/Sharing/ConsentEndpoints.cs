using Marten;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.Sharing;

/// <summary>Listing a patient's consents to share records across the network (recording and revoking: <see cref="ConsentCommands"/>).</summary>
public static class ConsentEndpoints
{
    internal static async Task<IResult> List(Guid patientId, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var clinic = Clinic.Of(http)!;
        if (!await NetworkRecord.Treats(session, clinic, patientId, ct))
            return Problems.From(NetworkRecord.NoRecordsAt(clinic, patientId));
        var now = clock.GetUtcNow();
        // 42 CFR 2.13(c): that the patient is treated elsewhere is itself protected. A clinic sees the consents it recorded and
        // the live ones that name it or the network, never other clinics' consents to third parties.
        var consents = (await session.Query<Consent>().Where(c => c.PatientId == patientId).OrderBy(c => c.GrantedAt).ToListAsync(ct))
            .Where(c => c.ClinicId == clinic || c.IsLiveAt(now) && (c.Recipient == clinic || c.Recipient == Consent.Network))
            .ToList();
        return Results.Ok(new { patientId, consents = consents.Select(c => new { consent = c, live = c.IsLiveAt(now) }) });
    }
}
