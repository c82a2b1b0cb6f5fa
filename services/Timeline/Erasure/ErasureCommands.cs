using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Erasure;

/// <summary>The command that asks the network to forget a person: accepted here, done by each service on receipt.</summary>
public static class ErasureCommands
{
    public static void MapErasureCommands(this IEndpointRouteBuilder patients) =>
        new CommandTable<PatientErasureRequested, NoNeeds>(patients, "erasureId",
                id => DomainError.NotFound("erasure-not-found", $"No erasure {id}."), e => e.PatientId, (_, e) => (PatientErasureRequested)e,
                NoNeeds.Of, (erasure, _, _, _) => erasure, e => $"/patients/{e.PatientId}/erasures/{e.ErasureId}")
            .Start("/erasure", "Erase the personal data the clinic holds of the patient, or a network administrator's erasure at every clinic (crypto-shredding)",
                c => c.RouteId("patientId").Then<(Guid PatientId, Guid ErasureId)>(patientId => (patientId, Guid.CreateVersion7(c.Now))),
                (cmd, _) => cmd.ErasureId, async (cmd, c) => new PatientErasure.Known(
                    await NetworkRecord.Treats(c.Session, c.ClinicId, cmd.PatientId, c.Cancellation),
                    await NetworkRecord.Exists(c.Session, cmd.PatientId, c.Cancellation)),
                (known, cmd, c) => PatientErasure.Decide(known, cmd.ErasureId, cmd.PatientId, c.ClinicId, c.By, c.Now),
                accepted: true);
}
