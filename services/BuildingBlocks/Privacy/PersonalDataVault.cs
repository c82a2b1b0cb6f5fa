using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recovery.BuildingBlocks.EventStore;

namespace Recovery.BuildingBlocks.Privacy;

/// <summary>
/// Personal text sealed with its patient's key: "v1:" + base64(nonce | ciphertext | tag). Stored in events and documents
/// in place of the text; once the patient's key is erased it can never be read again (crypto-shredding).
/// </summary>
[JsonConverter(typeof(SealedJsonConverter))]
public sealed record Sealed(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A sealed value is written as its plain string form, in events, documents and on the wire alike.</summary>
public sealed class SealedJsonConverter : JsonConverter<Sealed>
{
    public override Sealed? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : new Sealed(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, Sealed value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>Seals one patient's personal text. Decisions take it as a parameter, so they stay pure and testable.</summary>
public delegate Sealed Sealer(string plaintext);

/// <summary>
/// One patient's 256-bit data key, unwrapped. AES-GCM with the patient id as associated data, so a value sealed for one
/// patient cannot be passed off as another's. Pure: no storage.
/// </summary>
public sealed class PatientKey
{
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public PatientKey(Guid patientId, byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("A patient key is 32 bytes.", nameof(key));
        PatientId = patientId;
        _key = key;
    }

    public Guid PatientId { get; }

    public static PatientKey New(Guid patientId) => new(patientId, RandomNumberGenerator.GetBytes(32));

    public Sealed Seal(string plaintext) => new(Version + Convert.ToBase64String(Encrypt(_key, Encoding.UTF8.GetBytes(plaintext), Aad(PatientId))));

    /// <summary>The text; throws <see cref="CryptographicException"/> when the value was sealed with another key, for another patient, or altered.</summary>
    public string Open(Sealed value)
    {
        if (!value.Value.StartsWith(Version, StringComparison.Ordinal))
            throw new CryptographicException($"Not a sealed value of version {Version.TrimEnd(':')}.");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Value[Version.Length..]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("A sealed value is not base64.", e);
        }
        return Encoding.UTF8.GetString(Decrypt(_key, bytes, Aad(PatientId)));
    }

    /// <summary>Wraps this data key with the master key, bound to the patient, for storage.</summary>
    public byte[] Wrap(byte[] masterKey) => Encrypt(masterKey, _key, Aad(PatientId));

    public static PatientKey Unwrap(Guid patientId, byte[] wrapped, byte[] masterKey) => new(patientId, Decrypt(masterKey, wrapped, Aad(patientId)));

    private static byte[] Aad(Guid patientId) => Encoding.ASCII.GetBytes(patientId.ToString("D"));

    private static byte[] Encrypt(byte[] key, byte[] plaintext, byte[] aad)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), aad);
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedBytes, byte[] aad)
    {
        if (sealedBytes.Length < NonceSize + TagSize) throw new CryptographicException("A sealed value is too short.");
        var cipherLength = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[cipherLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, cipherLength),
            sealedBytes.AsSpan(NonceSize + cipherLength), plaintext, aad);
        return plaintext;
    }
}

/// <summary>
/// Opens one patient's sealed values for a view. A value that can no longer be opened (its key erased) reads as null
/// and marks the view's personal data as erased.
/// </summary>
public sealed class PersonalDataReader(PatientKey? key)
{
    /// <summary>For a view with no sealed values: opens nothing.</summary>
    public static PersonalDataReader Nothing => new(null);

    public bool Erased { get; private set; }

    public string? Open(Sealed? value)
    {
        if (value is null) return null;
        try
        {
            if (key is not null) return key.Open(value);
        }
        catch (CryptographicException)
        {
            // Sealed under a key that was erased (a newer key exists since), or altered: unreadable either way.
        }
        Erased = true;
        return null;
    }

    /// <summary>A JSON-serialised record sealed as one value.</summary>
    public T? Open<T>(Sealed? value) where T : class =>
        Open(value) is { } json ? JsonSerializer.Deserialize<T>(json, PersonalDataVault.Json) : null;
}

/// <summary>
/// The one place personal data is sealed and opened. Each patient has a random data key, wrapped with the deployment's
/// master key (Privacy:MasterKey) and kept in the service's own key schema ("&lt;schema&gt;_keys"), apart from the events.
/// Erasing a patient deletes the key: events and documents stay, their personal fields can never be read again.
/// </summary>
public sealed class PersonalDataVault
{
    public const string MasterKeySetting = "Privacy:MasterKey";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly byte[] _masterKey;
    private readonly NpgsqlDataSource _database;
    private readonly Lazy<Task> _schema;

    /// <param name="database">The event store's data source: the vault borrows it and does not dispose it.</param>
    public PersonalDataVault(byte[] masterKey, NpgsqlDataSource database, string keySchema)
    {
        _masterKey = masterKey;
        _database = database;
        KeyTable = $"{keySchema}.patient_keys";
        // Instances starting together take turns: concurrent "if not exists" can still collide in the catalog.
        // A key per clinic and patient, so a clinic's erasure shreds what that clinic holds and no other clinic's data.
        // Keys made before keys were per clinic have clinic_id '' and serve every clinic until a network-wide erasure.
        _schema = new Lazy<Task>(() => RunInTransaction($"""
            select pg_advisory_xact_lock(hashtext('{keySchema}.patient_keys'));
            create schema if not exists {keySchema};
            create table if not exists {KeyTable} (
                patient_id uuid not null,
                clinic_id text not null default '',
                wrapped_key bytea not null,
                created_at timestamptz not null default now(),
                primary key (patient_id, clinic_id));
            alter table {KeyTable} add column if not exists clinic_id text not null default '';
            do $$ begin
                if (select count(*) from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                    where i.indrelid = '{KeyTable}'::regclass and i.indisprimary) = 1 then
                    alter table {KeyTable} drop constraint patient_keys_pkey;
                    alter table {KeyTable} add primary key (patient_id, clinic_id);
                end if;
            end $$;
            """));
    }

    /// <summary>"assessment_keys.patient_keys": where this service's patient keys live.</summary>
    public string KeyTable { get; }

    /// <summary>The master key from configuration: base64 of 32 bytes, or start-up fails saying what is wrong.</summary>
    public static byte[] MasterKeyFrom(IConfiguration configuration)
    {
        var text = configuration[MasterKeySetting];
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidOperationException(
                $"{MasterKeySetting} is not configured: personal data cannot be sealed. Set it (env Privacy__MasterKey) to base64 of 32 random bytes.");
        try
        {
            var key = Convert.FromBase64String(text);
            if (key.Length == 32) return key;
        }
        catch (FormatException)
        {
        }
        throw new InvalidOperationException($"{MasterKeySetting} must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
    }

    /// <summary>Creates the key schema and table if missing.</summary>
    public Task EnsureSchema() => _schema.Value;

    /// <summary>
    /// The key of what <paramref name="clinicId"/> holds of the patient, made on first use. Racing first uses agree on one
    /// key: the insert of the loser does nothing and both read the row that won.
    /// </summary>
    public async Task<PatientKey> KeyFor(string clinicId, Guid patientId, CancellationToken ct = default)
    {
        if (await ExistingKey(clinicId, patientId, ct) is { } existing) return existing;
        await EnsureSchema();
        var wrapped = PatientKey.New(patientId).Wrap(_masterKey);
        await using var command = _database.CreateCommand($"""
            insert into {KeyTable} (patient_id, clinic_id, wrapped_key) values ($1, $2, $3) on conflict (patient_id, clinic_id) do nothing;
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = patientId });
        command.Parameters.Add(new NpgsqlParameter { Value = clinicId });
        command.Parameters.Add(new NpgsqlParameter { Value = wrapped });
        await command.ExecuteNonQueryAsync(ct);
        return await ExistingKey(clinicId, patientId, ct)
            ?? throw new InvalidOperationException($"The key of patient {patientId} was erased while it was being made.");
    }

    /// <summary>The key of what the clinic holds of the patient, or null when there is none (never made, or erased).</summary>
    public async Task<PatientKey?> ExistingKey(string clinicId, Guid patientId, CancellationToken ct = default)
    {
        await EnsureSchema();
        // The clinic's own key first ("" sorts last), else a key from before keys were per clinic.
        await using var command = _database.CreateCommand(
            $"select wrapped_key from {KeyTable} where patient_id = $1 and clinic_id in ($2, '') order by clinic_id desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = patientId });
        command.Parameters.Add(new NpgsqlParameter { Value = clinicId });
        return await command.ExecuteScalarAsync(ct) is byte[] wrapped ? PatientKey.Unwrap(patientId, wrapped, _masterKey) : null;
    }

    /// <summary>The text, or null when it can no longer be read (the key was erased).</summary>
    public async Task<string?> Open(string clinicId, Guid patientId, Sealed value, CancellationToken ct = default) =>
        (await ReaderFor(clinicId, patientId, ct)).Open(value);

    public async Task<PersonalDataReader> ReaderFor(string clinicId, Guid patientId, CancellationToken ct = default) =>
        new(await ExistingKey(clinicId, patientId, ct));

    /// <summary>
    /// Deletes the keys of what <paramref name="clinicId"/> holds of the patient (every clinic's when null): everything
    /// sealed with them becomes unreadable. A key from before keys were per clinic goes only with a network-wide erasure.
    /// Erasing twice changes nothing.
    /// </summary>
    public async Task Erase(Guid patientId, string? clinicId, CancellationToken ct = default)
    {
        await EnsureSchema();
        await using var command = _database.CreateCommand(clinicId is null
            ? $"delete from {KeyTable} where patient_id = $1"
            : $"delete from {KeyTable} where patient_id = $1 and clinic_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = patientId });
        if (clinicId is not null) command.Parameters.Add(new NpgsqlParameter { Value = clinicId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A decision with no personal text to seal is given this; it refuses to seal.</summary>
    public static Sealed NothingToSeal(string plaintext) =>
        throw new InvalidOperationException("No personal text was expected here, so no patient key was fetched.");

    private async Task RunInTransaction(string sql)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}

public static class PersonalDataVaultSetup
{
    /// <summary>
    /// Adds the vault for a service holding personal data, with its keys in "&lt;event store schema&gt;_keys". A missing or
    /// malformed master key stops start-up.
    /// </summary>
    public static WebApplicationBuilder AddPersonalDataVault(this WebApplicationBuilder builder)
    {
        var masterKey = PersonalDataVault.MasterKeyFrom(builder.Configuration);
        builder.Services.AddSingleton(services =>
        {
            // The event store's own connection pool: one pool per service, and one place to drop dead connections.
            var store = services.GetRequiredService<IDocumentStore>();
            var database = (Weasel.Postgresql.PostgresqlDatabase)store.Storage.Database;
            return new PersonalDataVault(masterKey, database.DataSource, $"{store.Options.DatabaseSchemaName}_keys");
        });
        builder.Services.AddSingleton(new BlindIndex(masterKey));
        builder.Services.AddHostedService<KeySchemaCreation>();
        return builder;
    }

    /// <summary>Creates the key table at start-up, so the first registration does not wait for it.</summary>
    private sealed class KeySchemaCreation(PersonalDataVault vault) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => vault.EnsureSchema();
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
