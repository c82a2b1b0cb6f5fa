using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Contracts.Sharing.V1;

namespace Recovery.BuildingBlocks.Privacy;

/// <summary>
/// The person asked to be forgotten: delete the keys of the personal data in the erasure's scope (one clinic's, or every
/// clinic's), so every personal field this service sealed there becomes unreadable while the events themselves stay, and
/// clear the service's <see cref="IPersonalIndex"/> documents. Erasure may concern the person at every clinic, so the inbox
/// row is kept outside any clinic's tenant (TenantOf stays null).
/// </summary>
public sealed class PatientErasure(IDocumentStore store, PersonalDataVault vault, IEnumerable<IPersonalIndex> indexes,
    ILogger<PatientErasure> logger) : IdempotentConsumer<PatientErased>(store, logger)
{
    protected override async Task Handle(IDocumentSession session, ConsumeContext<PatientErased> context)
    {
        var erasure = context.Message;
        // Deleting a key that is already gone does nothing, so a redelivery after this commit but before the inbox
        // row's is harmless.
        await vault.Erase(erasure.PatientId, erasure.ErasedClinic, context.CancellationToken);
        foreach (var index in indexes) await index.Erase(session, erasure, context.CancellationToken);
        logger.LogInformation("Personal data of patient {PatientId} erased at {Scope} (erasure {ErasureId})",
            erasure.PatientId, erasure.ErasedClinic ?? "every clinic", erasure.ErasureId);
    }
}

/// <summary>
/// A service's lookup documents holding a person's identifying values (e.g. blind indexes of name and birth date): cleared
/// by the erasure in the same transaction as its inbox row.
/// </summary>
public interface IPersonalIndex
{
    Task Erase(IDocumentSession session, PatientErased erasure, CancellationToken ct);
}
