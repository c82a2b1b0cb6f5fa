extern alias assessment;
extern alias counseling;
extern alias detox;
extern alias relapse;
extern alias timeline;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Messaging;

namespace Recovery.Integration.Tests;

/// <summary>
/// A care service or the timeline, booted in-process with its real storage and bus; <paramref name="services"/> replaces
/// some of its services (a clock, say) after the service's own registrations.
/// </summary>
public sealed class ServiceHost<TEntryPoint>(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(new HostLogs(typeof(TEntryPoint).Assembly.GetName().Name!))
            // The daemon's own account (gaps held or skipped, shards paused) is what a stuck projection needs read.
            .AddFilter<HostLogs>("Marten", LogLevel.Information)
            .AddFilter<HostLogs>("JasperFx", LogLevel.Information));
        foreach (var (key, value) in TestSecrets.Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }
}

/// <summary>The keys a deployment keeps secret, made afresh for each test run and shared by every service host.</summary>
public static class TestSecrets
{
    public const string Issuer = "recovery-network";
    public const string Audience = "recovery-platform";
    public static readonly string SigningKey = NewKey();

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKey"] = SigningKey,
        ["Privacy:MasterKey"] = NewKey(),
        ["Privacy:PseudonymKey"] = NewKey(),
    };

    private static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// The platform as the tests use it: the four care services and the Timeline sharing the real PostgreSQL database and
/// RabbitMQ virtual host of the deploy scripts (overridable by the same environment variables the services read).
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ServiceHost<assessment::Program> Assessment { get; } = new(new Dictionary<string, string?>());
    public ServiceHost<detox::Program> Detox { get; } = new(new Dictionary<string, string?>());
    public ServiceHost<counseling::Program> Counseling { get; } = new(new Dictionary<string, string?>());
    public ServiceHost<relapse::Program> Relapse { get; } = new(new Dictionary<string, string?>());
    public ServiceHost<timeline::Program> Timeline { get; }

    /// <summary>The Timeline's clock: a test that moves it puts it back before it ends (the tests share the host).</summary>
    public TestClock TimelineClock { get; } = new();

    /// <summary>
    /// The shared Timeline releases cells of any size: the analytics tests check the arithmetic on cohorts of one or two
    /// patients. The default minimum of 11 is tested on a Timeline of its own (AnalyticsTests, small cells).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> AnyCellSize = new Dictionary<string, string?> { ["Analytics:MinimumCellSize"] = "1" };

    public Platform() =>
        Timeline = new(AnyCellSize, services => services.AddSingleton<TimeProvider>(TimelineClock));

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Platform")
        ?? "Host=127.0.0.1;Port=5432;Database=recovery;Username=recovery;Password=recovery";

    /// <summary>The database of the service whose schema is <paramref name="schema"/>: its own (ConnectionStrings__Detox), else the platform's.</summary>
    public static string ConnectionStringOf(string schema) =>
        Environment.GetEnvironmentVariable($"ConnectionStrings__{char.ToUpperInvariant(schema[0])}{schema[1..]}") is { Length: > 0 } own
            ? own : ConnectionString;

    public Task InitializeAsync()
    {
        // Building the clients starts the hosts: schema applied, bus connected, daemon running.
        _ = Assessment.CreateClient();
        _ = Detox.CreateClient();
        _ = Counseling.CreateClient();
        _ = Relapse.CreateClient();
        _ = Timeline.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Assessment.DisposeAsync();
        await Detox.DisposeAsync();
        await Counseling.DisposeAsync();
        await Relapse.DisposeAsync();
        await Timeline.DisposeAsync();
    }

    public HttpClient ClinicClient(string clinicId, string role = Roles.Clinician) => ClinicClient(Assessment, clinicId, role);

    /// <summary>A client of <paramref name="host"/> acting as a user with <paramref name="role"/> at <paramref name="clinicId"/>.</summary>
    /// <remarks>The user is "{role}@{clinic}" unless <paramref name="user"/> names another (a second clinician, say).</remarks>
    public static HttpClient ClinicClient<T>(ServiceHost<T> host, string? clinicId, string role = Roles.Clinician, string? user = null)
        where T : class
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(clinicId, role, user: user));
        return client;
    }

    /// <summary>A client of <paramref name="host"/> acting as another clinician of the clinic: the second pair of eyes on a plan.</summary>
    public static HttpClient SecondClinician<T>(ServiceHost<T> host, string clinicId) where T : class =>
        ClinicClient(host, clinicId, user: $"second-clinician@{clinicId}");

    public static string Token(string? clinicId, string role = Roles.Clinician, TimeSpan? lifetime = null, DateTime? now = null,
        string? user = null) =>
        new AccessTokens(new AuthOptions { Issuer = TestSecrets.Issuer, Audience = TestSecrets.Audience, SigningKey = TestSecrets.SigningKey })
            .Issue(clinicId, role, user ?? $"{role}@{clinicId ?? "network"}", lifetime, now);

    /// <summary>
    /// After a PostgreSQL restart: every service drops its dead pooled connections (otherwise each service's first request
    /// afterwards is answered 503, as in production), then reports ready again.
    /// </summary>
    public async Task AllReady(TimeSpan? within = null)
    {
        foreach (var services in new[] { Assessment.Services, Detox.Services, Counseling.Services, Relapse.Services, Timeline.Services })
            Recovery.BuildingBlocks.EventStore.EventStoreSetup.ForgetIdleConnections(services.GetRequiredService<Marten.IDocumentStore>());
        foreach (var (name, client) in new[] { ("assessment", Assessment.CreateClient()), ("detox", Detox.CreateClient()),
                     ("counseling", Counseling.CreateClient()), ("relapse", Relapse.CreateClient()), ("timeline", Timeline.CreateClient()) })
            await Eventually.Until(() => Reply.Of(client.GetAsync("/health/ready")), r => r.IsOk, within ?? TimeSpan.FromSeconds(60),
                condition: $"{name} to be ready again");
    }

    /// <summary>
    /// The patient's timeline as <paramref name="clinicId"/> sees it, once <paramref name="done"/> holds of it; the test fails
    /// with the last answer when it does not within <paramref name="within"/> (30 s unless told).
    /// </summary>
    public async Task<JsonNode> TimelineWhen(Guid patientId, string clinicId, Func<JsonNode, bool> done, TimeSpan? within = null,
        [CallerArgumentExpression(nameof(done))] string condition = "")
    {
        var client = ClinicClient(Timeline, clinicId);
        var reply = await Eventually.Until(() => Reply.Of(client.GetAsync($"/patients/{patientId}/timeline")), r => r.IsOk && done(r.Json()),
            within, Describe, $"the timeline of patient {patientId} at {clinicId} to satisfy {condition}");
        return reply.Json();

        // The kinds first: a long timeline's body is cut short in the message.
        static string Describe(Reply reply) => reply.IsOk
            ? $"{reply.Json()["entryCount"]} entries ({string.Join(", ", reply.Json()["entries"]!.AsArray().Select(e => e!["kind"]))}); {reply}"
            : reply.ToString();
    }

    /// <summary>
    /// Waits until the forwarder of the store in <paramref name="schema"/> has checkpointed the store's last event. It moves
    /// its checkpoint only once the broker has confirmed a page, so by then every fact in the store is published.
    /// </summary>
    public static async Task ForwarderCaughtUp(string schema, TimeSpan? within = null) =>
        await Eventually.Until(async () => (
                Checkpoint: await CountIn(schema, $"select coalesce(min(last_seq_id), 0) from {schema}.mt_event_progression where name like '{IntegrationEventForwarder.SubscriptionName}%'"),
                LastEvent: await CountIn(schema, $"select coalesce(max(seq_id), 0) from {schema}.mt_events")),
            progress => progress.Checkpoint >= progress.LastEvent, within,
            progress => $"checkpoint {progress.Checkpoint}, last event {progress.LastEvent}", $"the {schema} forwarder to reach its store's last event");

    public static Task<long> Count(string sql, params (string Name, object Value)[] parameters) => CountAt(ConnectionString, sql, parameters);

    /// <summary>A count in the database of the service whose schema is <paramref name="schema"/>.</summary>
    public static Task<long> CountIn(string schema, string sql, params (string Name, object Value)[] parameters) =>
        CountAt(ConnectionStringOf(schema), sql, parameters);

    private static async Task<long> CountAt(string connectionString, string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}
