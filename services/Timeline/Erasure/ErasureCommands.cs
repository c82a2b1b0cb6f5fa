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
            .Start("/erasure", "Erase the patient's personal data network-wide (crypto-shredding)",
                c => c.RouteId("patientId").Then<(Guid PatientId, Guid ErasureId)>(patientId => (patientId, Guid.CreateVersion7(c.Now))),
                (cmd, _) => cmd.ErasureId, (cmd, c) => NetworkRecord.Treats(c.Session, c.ClinicId, cmd.PatientId, c.Cancellation),
                (treats, cmd, c) => PatientErasure.Decide(treats, cmd.ErasureId, cmd.PatientId, c.ClinicId, c.By.UserId, c.Now),
                accepted: true);
}
