using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.EventStore;

namespace Recovery.BuildingBlocks.Messaging;

public static class ForwardingSetup
{
    /// <summary>
    /// Publishes the service's committed events through <typeparamref name="TMap"/>. "Forwarder:Enabled" = false
    /// keeps the events in the store unpublished (the subscription resumes from its checkpoint when re-enabled).
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression ForwardIntegrationEvents<TMap>(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IConfiguration configuration)
        where TMap : class, IIntegrationEventMap
    {
        marten.Services.AddSingleton<IIntegrationEventMap, TMap>();
        marten.AddSubscriptionWithServices<IntegrationEventForwarder>(ServiceLifetime.Singleton, o =>
        {
            o.Name = IntegrationEventForwarder.SubscriptionName;
            o.Options.BatchSize = 500;
        });
        if (configuration.GetValue("Forwarder:Enabled", true))
        {
            var mode = configuration.GetValue("EventStore:DaemonMode", DaemonMode.Solo);
            marten.AddAsyncDaemon(mode);
            if (mode == DaemonMode.HotCold) marten.Services.AddHostedService<DaemonLeadership>();
        }
        return marten;
    }
}
