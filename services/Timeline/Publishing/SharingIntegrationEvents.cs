using JasperFx.Events;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;
using Recovery.Timeline.Erasure;
using Recovery.Timeline.Sharing;
using V1 = Recovery.Contracts.Sharing.V1;

namespace Recovery.Timeline.Publishing;

/// <summary>
/// What the network record publishes: consents and erasures. The patient facts it recorded from the bus are
/// already published by their services and are never sent again.
/// </summary>
public sealed class SharingIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent e) => e.Data switch
    {
        ConsentRecorded c => new V1.ConsentGranted(c.PatientId, c.ClinicId, e.Timestamp, c.ConsentId, c.Recipient, Kebab.Of(c.Purpose), c.ExpiresAt),
        ConsentRevoked r => new V1.ConsentRevoked(r.PatientId, r.ClinicId, e.Timestamp, r.ConsentId),
        PatientErasureRequested p => new V1.PatientErased(p.PatientId, e.Timestamp, p.ErasureId, p.ClinicId, p.Scope ?? V1.PatientErased.NetworkScope),
        _ => null,
    };
}
