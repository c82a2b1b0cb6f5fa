using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Erasure;

/// <summary>
/// The person asked to be forgotten. Published as PatientErased: every service deletes the patient's personal-data key,
/// so their events stay (the clinical record, the disclosures) and the person's name, birth date, contact and notes are gone.
/// </summary>
public sealed record PatientErasureRequested(Guid ErasureId, Guid PatientId, string ClinicId, DateTimeOffset RequestedAt, string RequestedBy);

public static class PatientErasure
{
    /// <summary>An administrator of a clinic that treats the patient asks for the erasure, network-wide.</summary>
    public static Decision Decide(bool clinicTreatsPatient, Guid erasureId, Guid patientId, string clinic, string user, DateTimeOffset now) =>
        clinicTreatsPatient
            ? Decision.Accept(new PatientErasureRequested(erasureId, patientId, clinic, now, user))
            : NetworkRecord.NoRecordsAt(clinic, patientId);

    internal static async Task<IResult> Handle(Guid patientId, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var clinic = Clinic.Of(http)!;
        var now = clock.GetUtcNow();
        var erasureId = Guid.CreateVersion7(now);
        var decision = Decide(await NetworkRecord.Treats(session, clinic, patientId, ct), erasureId, patientId, clinic, Access.UserOf(http), now);
        if (decision.Error is { } error) return Problems.From(error);

        TraceContext.Stamp(session);
        session.Events.StartStream(erasureId, decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        // Accepted, not done: each service forgets on receipt of the published event.
        return Results.Accepted($"/patients/{patientId}/erasures/{erasureId}", decision.Events[0]);
    }
}
