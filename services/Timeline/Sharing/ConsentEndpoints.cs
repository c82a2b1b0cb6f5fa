using Marten;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Timeline.Sharing;

/// <summary>Recording, revoking and listing a patient's consents to share records across the network.</summary>
public static class ConsentEndpoints
{
    internal static async Task<IResult> Record(Guid patientId, RecordConsentRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var validated = request.Validate(now);
        if (validated.Error is { } invalid) return Problems.From(invalid);

        var clinic = Clinic.Of(http)!;
        var consentId = Guid.CreateVersion7(now);
        var decision = ConsentRules.Record(await NetworkRecord.Treats(session, clinic, patientId, ct), clinic, Access.UserOf(http),
            consentId, patientId, validated.Value!, now);
        if (decision.Error is { } error) return Problems.From(error);

        TraceContext.Stamp(session);
        session.Events.StartStream<Consent>(consentId, decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        return Results.Created($"/patients/{patientId}/consents/{consentId}", Consent.From((ConsentRecorded)decision.Events[0]));
    }

    internal static Task<IResult> Revoke(Guid patientId, Guid consentId, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        TraceContext.Stamp(session);
        return CommandHandling.Decide<Consent>(session, consentId, "consent-not-found",
            consent => ConsentRules.Revoke(consent, patientId, Clinic.Of(http)!, Access.UserOf(http), clock.GetUtcNow()),
            (consent, events) => Results.Ok(consent with { RevokedAt = ((ConsentRevoked)events[0]).RevokedAt }), ct);
    }

    internal static async Task<IResult> List(Guid patientId, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var clinic = Clinic.Of(http)!;
        if (!await NetworkRecord.Treats(session, clinic, patientId, ct))
            return Problems.From(NetworkRecord.NoRecordsAt(clinic, patientId));
        var now = clock.GetUtcNow();
        var consents = await session.Query<Consent>().Where(c => c.PatientId == patientId).OrderBy(c => c.GrantedAt).ToListAsync(ct);
        return Results.Ok(new { patientId, consents = consents.Select(c => new { consent = c, live = c.IsLiveAt(now) }) });
    }
}
