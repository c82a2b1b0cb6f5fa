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
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Telemetry;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// Marten as each service's event and document store: its own schema in the platform database
/// (or its own database, by connection string only: ConnectionStrings:&lt;service&gt;), created or updated on start-up.
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
        var connectionString = ConnectionStringOf(configuration, schema);
        // Tests and side-by-side deployments may move a service to another schema.
        schema = configuration["EventStore:Schema"] ?? schema;
        connectionString = SessionSettings(connectionString, schema, configuration);

        builder.Services.AddHttpContextAccessor();
        var marten = builder.Services.AddMarten(options =>
            {
                if (MultiHost(connectionString) is { } cluster) options.Connection(cluster);
                else options.Connection(connectionString);
                options.DatabaseSchemaName = schema;
                options.Events.DatabaseSchemaName = schema;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                // Instances of a service started together queue on one lock to check the schema; on a busy machine the
                // default 10 s wait made a replica give up and exit (seen starting two of every service on 2 cores).
                options.ApplyChangesLockTimeout = TimeSpan.FromSeconds(60);
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                // A session keeps the connection it first opened until it commits or ends: a command's reads (stream, needs)
                // and its commit share one pooled connection instead of opening (and resetting) one per query.
                options.UseStickyConnectionLifetimes = true;
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
                // Not Marten's connection spans: with sticky connections its tracing wrapper cannot begin the transaction an
                // exclusive fetch needs (InvalidOperationException "… does not implement ITransactionStarter", Marten 9.58).
                // Npgsql's spans still show every statement.
                options.OpenTelemetry.TrackConnections = TrackLevel.None;
                options.OpenTelemetry.TrackEventCounters();
                // Not LISTEN/NOTIFY: NOTIFY serialised commits and made each command ~4x slower (docs/operations.md).
                options.Events.UseListenNotifyForEventAppends = configuration.GetValue("EventStore:ListenNotify", false);
                options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
                // An idle daemon polled every 100 ms: ~70 transactions/s per service, 20 % of a core for five (docs/operations.md,
                // "Running cost"). Now this process's own commits wake it, and the slow poll only catches other processes' appends.
                options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(configuration.GetValue("EventStore:SlowPollingMs", 1000));
                if (!options.Events.UseListenNotifyForEventAppends)
                {
                    var wakeup = new AppendWakeup(options.Projections.FastPollingTime);
                    options.Projections.Wakeup = wakeup;
                    options.Listeners.Add(wakeup);
                }
                options.Projections.Errors.SkipApplyErrors = false;
                // HotCold leadership by a session-level advisory lock on an idle connection (docs/operations.md, "Daemon
                // leadership"). A transaction-scoped one kept a transaction open for as long as the instance led: it held
                // back VACUUM across the database, and every such transaction counted as a possible writer into any store's
                // sequence gap, so the daemons of all services sharing the database held their high water behind dead gaps.
                options.Events.UseAdvisoryLockTransaction = false;
                // No monitor on the leader's lock: an "active" leader session held other stores' gap detection (docs/operations.md).
                options.Events.UseMonitoredAdvisoryLock = false;
                options.Listeners.Add(new EventsAppendedMeter(schema));
                configure(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();

        marten.BuildSessionsWith<ClinicSessionFactory>();
        return marten;
    }

    /// <summary>
    /// The connection string as the service's sessions use it. They are named (schema/host/pid): operators see who holds
    /// what, and DaemonLeadership finds its own lock. Statements a process runs again and again (appends, upserts, stream
    /// and inbox reads) are prepared on each pooled connection after their second use, so PostgreSQL stops parsing and
    /// planning them per call: a third less of its CPU per command in the mix benchmark (docs/operations.md,
    /// "Throughput"). A string's own Application Name or Max Auto Prepare wins; EventStore:MaxAutoPrepare=0 turns it off.
    /// </summary>
    public static string SessionSettings(string connectionString, string schema, IConfiguration configuration)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(settings.ApplicationName)) settings.ApplicationName = DaemonLeadership.ApplicationNameOf(schema);
        if (settings.MaxAutoPrepare == 0 && configuration.GetValue("EventStore:MaxAutoPrepare", 64) is > 0 and var statements)
        {
            settings.MaxAutoPrepare = statements;
            settings.AutoPrepareMinUsages = 2;
        }
        return settings.ConnectionString;
    }

    /// <summary>
    /// The service's own connection string (ConnectionStrings:Assessment, say: a deployment may give each service its own
    /// database or server), else the platform's shared one. A multi-host string with "Target Session Attributes=primary"
    /// finds the writable server after a failover (deploy/cluster.sh).
    /// </summary>
    public static string ConnectionStringOf(IConfiguration configuration, string service) =>
        configuration.GetConnectionString(service) is { Length: > 0 } own ? own
        : configuration.GetConnectionString(ConnectionStringName)
          ?? throw new InvalidOperationException($"Neither ConnectionStrings:{service} nor ConnectionStrings:{ConnectionStringName} is configured.");

    /// <summary>
    /// A connection string naming several hosts and a Target Session Attributes ("primary", "read-write", …) as the data source
    /// Npgsql requires for it: multi-host, with the target chosen on it (Npgsql refuses the attribute inside such a data
    /// source's string). Null for any other string, which Marten opens as it is.
    /// </summary>
    public static Npgsql.NpgsqlDataSource? MultiHost(string connectionString)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (settings.TargetSessionAttributes is not { Length: > 0 } target || settings.Host?.Contains(',') != true) return null;
        settings.TargetSessionAttributes = null;
        return new Npgsql.NpgsqlDataSourceBuilder(settings.ConnectionString).BuildMultiHost()
            .WithTargetSession(Enum.Parse<Npgsql.TargetSessionAttributes>(target.Replace("-", ""), ignoreCase: true));
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
/// Opens every request's session in the caller's clinic (tenant), stamped with the trace and the recorder
/// (<see cref="RecordingSession"/>).
/// </summary>
internal sealed class ClinicSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession()
    {
        var clinic = Clinic.Of(http.HttpContext);
        return clinic is null || store.Options.Events.TenancyStyle != TenancyStyle.Conjoined ? store.QuerySession() : store.QuerySession(clinic);
    }

    public IDocumentSession OpenSession() =>
        RecordingSession.Open(store, Clinic.Of(http.HttpContext),
            http.HttpContext?.User.Identity?.IsAuthenticated == true ? CommandContext.RecorderOf(http.HttpContext) : null);
}
