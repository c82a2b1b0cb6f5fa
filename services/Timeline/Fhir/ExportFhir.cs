using Hl7.Fhir.Serialization;
using Marten;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;
using Recovery.Contracts;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Fhir;

/// <summary>GET /patients/{id}/fhir: the network record as a FHIR R4 Bundle, under exactly the timeline's consent rules.</summary>
public static class ExportFhir
{
    public const string RedisclosureHeader = "X-Redisclosure-Notice";

    internal static async Task<IResult> Handle(Guid patientId, string? purpose, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var (read, error) = await NetworkRecord.Open(session, http, patientId, purpose, "fhir", clock, ct);
        if (error is not null) return Problems.From(error);

        // The full facts (COWS items, doses, screens) are the events the timeline recorded; only the visible ones go out.
        var visible = read!.View.Entries.Select(e => e.EventId).ToHashSet();
        var events = await session.Events.FetchStreamAsync(patientId, token: ct);
        // Corrections of visible entries go with them, so the export shows what was entered in error.
        var facts = events.Where(e => e.Data is IPatientEvent && (visible.Contains(e.Id) ||
                e.Data is Recovery.Contracts.Corrections.V1.FactEnteredInError error && visible.Contains(error.EnteredInErrorEventId)))
            .Select(e => new RecordedFact(e.Id, (IPatientEvent)e.Data))
            .OrderBy(f => f.Fact.ClinicalTime()).ThenBy(f => f.Fact.OccurredAt)
            .ToList();
        // The caller's own consents, and those its view was disclosed under.
        var caller = Clinic.Of(http)!;
        var consents = read.Consents
            .Where(c => c.ClinicId == caller || read.View.ConsentBySourceClinic.Values.Contains(c.Id))
            .Select(c => new SharedConsent(c.Id, c.ClinicId, c.Recipient, Kebab.Of(c.Purpose), c.GrantedAt, c.ExpiresAt, c.RevokedAt))
            .ToList();

        var bundle = FhirExport.Build(patientId, facts, consents, clock.GetUtcNow());
        // A Bundle has no field for the notice; the response that discloses carries it, as the timeline's does in its body.
        if (read.Disclosure is not null) http.Response.Headers[RedisclosureHeader] = SharingPolicy.RedisclosureNotice;
        return Results.Text(bundle.ToJson(), "application/fhir+json");
    }
}
