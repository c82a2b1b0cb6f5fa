using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using JasperFx.OpenTelemetry;
using Weasel.Core;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Telemetry;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// Marten as each service's event and document store: its own schema in the platform database
/// (or its own database, by connection string only), created or updated on start-up.
/// </summary>
public static class EventStoreSetup
{
    public const string ConnectionStringName = "Platform";

    /// <summary>
    /// Adds the service's Marten store. With <paramref name="tenantPerClinic"/> every clinic is a conjoined
    /// tenant and request sessions open in the caller's clinic. Integration events are forwarded to the bus
    /// by the async daemon when an <see cref="IIntegrationEventMap"/> is given.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this WebApplicationBuilder builder,
        string schema,
        bool tenantPerClinic,
        Action<StoreOptions> configure)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        // Tests and side-by-side deployments may move a service to another schema.
        schema = configuration["EventStore:Schema"] ?? schema;

        builder.Services.AddHttpContextAccessor();
        var marten = builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = schema;
                options.Events.DatabaseSchemaName = schema;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                // Instances of a service started together queue on one lock to check the schema; on a busy machine the
                // default 10 s wait made a replica give up and exit (seen starting two of every service on 2 cores).
                options.ApplyChangesLockTimeout = TimeSpan.FromSeconds(60);
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                // Quick append: the version is assigned in the database, so concurrent appends
                // to one stream queue on a row lock instead of failing.
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.EventNamingStyle = EventNamingStyle.FullTypeName;
                options.Events.UseIdentityMapForAggregates = true;
                if (tenantPerClinic)
                {
                    options.Events.TenancyStyle = TenancyStyle.Conjoined;
                    options.Policies.AllDocumentsAreMultiTenanted();
                }
                options.OpenTelemetry.TrackConnections = TrackLevel.Normal;
                options.OpenTelemetry.TrackEventCounters();
                // The forwarder's latency is part of timeline freshness, so the daemon looks for new events often.
                // Measured here: waking it by LISTEN/NOTIFY on every append made each command ~4x slower
                // (NOTIFY serialises committing transactions), while polling every 100 ms costs a few cheap
                // queries a second. EventStore:ListenNotify=true switches to notification.
                options.Events.UseListenNotifyForEventAppends = configuration.GetValue("EventStore:ListenNotify", false);
                options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
                options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(configuration.GetValue("EventStore:SlowPollingMs", 100));
                options.Projections.Errors.SkipApplyErrors = false;
                // HotCold leadership (several instances): the lock package the registry serves (DistributedLock.Postgres 1.3.1,
                // not Marten's patched one) refuses session-scoped locks on a data source ("Multiplexing is current
                // incompatible with DbDataSource"); a transaction-scoped advisory lock works with it.
                options.Events.UseAdvisoryLockTransaction = true;
                // No pg_sleep monitor on the leader's lock connection: that session stays "active" for the leader's life, and Marten's
                // gap detection counts an active transaction of any service in the database as one that may still fill a gap, so
                // one rolled-back append held a store's forwarder for as long as another service's leader lived (ScaleOutFaultTests).
                // An idle leader session is recognised as harmless. What the monitor detected, a lock lost to a database restart,
                // can now briefly leave two leaders: both publish, and consumers drop the copies by message id.
                options.Events.UseMonitoredAdvisoryLock = false;
                options.Listeners.Add(new EventsAppendedMeter(schema));
                configure(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();

        if (tenantPerClinic) marten.BuildSessionsWith<ClinicSessionFactory>();
        return marten;
    }

    /// <summary>
    /// After PostgreSQL restarts, every idle pooled connection is dead and each would fail one more request or check.
    /// Called at the first such failure, it closes the idle ones so the next request opens a fresh connection.
    /// </summary>
    public static void ForgetIdleConnections(IDocumentStore store)
    {
        if (store.Storage.Database is Weasel.Postgresql.PostgresqlDatabase database) database.DataSource.Clear();
    }
}

/// <summary>
/// Opens every request's session in the caller's clinic (tenant) and stamps the events it appends
/// with the current trace, so the forwarder can continue the same trace on the bus.
/// </summary>
internal sealed class ClinicSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession()
    {
        var clinic = Clinic.Of(http.HttpContext);
        return clinic is null ? store.QuerySession() : store.QuerySession(clinic);
    }

    public IDocumentSession OpenSession()
    {
        var clinic = Clinic.Of(http.HttpContext);
        var session = clinic is null ? store.LightweightSession() : store.LightweightSession(clinic);
        TraceContext.Stamp(session);
        return session;
    }
}

/// <summary>Carries W3C trace context through the event store as event headers.</summary>
public static class TraceContext
{
    public const string Header = "traceparent";

    public static void Stamp(IDocumentSession session)
    {
        if (Activity.Current is { } activity)
        {
            session.SetHeader(Header, activity.Id!);
            session.CorrelationId = activity.TraceId.ToString();
        }
    }

    public static ActivityContext ParentOf(IEvent e) =>
        e.Headers is not null && e.Headers.TryGetValue(Header, out var value) && value?.ToString() is { } text &&
        ActivityContext.TryParse(text, null, out var context)
            ? context
            : default;
}
