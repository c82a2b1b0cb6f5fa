using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Contracts.Sharing.V1;

namespace Recovery.BuildingBlocks.Privacy;

/// <summary>
/// The person asked to be forgotten: delete their key, so every personal field this service sealed for them becomes
/// unreadable while the events themselves stay. Erasure concerns the person at every clinic, so the inbox row is kept
/// outside any clinic's tenant (TenantOf stays null).
/// </summary>
public sealed class PatientErasure(IDocumentStore store, PersonalDataVault vault, ILogger<PatientErasure> logger)
    : IdempotentConsumer<PatientErased>(store, logger)
{
    protected override async Task Handle(IDocumentSession session, ConsumeContext<PatientErased> context)
    {
        // Deleting a key that is already gone does nothing, so a redelivery after this commit but before the inbox
        // row's is harmless.
        await vault.Erase(context.Message.PatientId, context.CancellationToken);
        logger.LogInformation("Personal data of patient {PatientId} erased (erasure {ErasureId})",
            context.Message.PatientId, context.Message.ErasureId);
    }
}
