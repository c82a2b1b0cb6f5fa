using JasperFx.Events;
using Recovery.BuildingBlocks.Time;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Messaging;

/// <summary>
/// The base of a service's gateway: helpers that set each published fact's clinical time. The forwarder stamps who
/// recorded it and when; the gateway says when it happened, from the domain event's own time.
/// </summary>
public abstract class IntegrationEventMap(ClinicClock? clock) : IIntegrationEventMap
{
    private readonly ClinicClock _clock = clock ?? ClinicClock.Utc;

    public abstract object? ToIntegrationEvent(IEvent e);

    /// <summary>The fact happened at <paramref name="at"/>.</summary>
    protected static T At<T>(T message, DateTimeOffset at) where T : PatientEvent => (T)(message with { EffectiveAt = at });

    /// <summary>The fact is known by its date: it happened on that day at the clinic, placed at the day's start in the clinic's zone.</summary>
    protected T On<T>(T message, DateOnly day, string clinicId) where T : PatientEvent =>
        At(message, _clock.StartOf(clinicId, day));
}
