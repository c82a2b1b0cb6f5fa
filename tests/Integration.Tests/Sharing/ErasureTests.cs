extern alias assessment;
using System.Net;
using Recovery.BuildingBlocks.Http;
using System.Text.Json.Nodes;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Contracts.Sharing.V1;
using static Recovery.Integration.Tests.CareJourneyTests;
using RegisteredPatientProjection = assessment::Recovery.Assessment.Patients.RegisteredPatientProjection;

namespace Recovery.Integration.Tests;

/// <summary>
/// Crypto-shredding, proven on the raw database: personal fields are never stored in plaintext anywhere, and once the
/// patient is erased no copy of them can be read, not even by a rebuilt projection; every event stays.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ErasureTests(Platform platform)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly string[] KeySchemas = ["assessment_keys", "counseling_keys", "detox_keys"];

    [Fact]
    public async Task An_erased_patient_keeps_every_event_but_no_personal_field_can_be_read_even_after_a_rebuild()
    {
        // Markers found nowhere else in the database: in names, contact, notes and reasons, and a date of birth 85 to 95 years
        // back (from the clock, so it never passes the 120 years a registration allows).
        var marker = "zq" + Guid.NewGuid().ToString("N")[..12];
        var phone = "+351 " + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999);
        var dateOfBirth = Requests.Today.AddYears(-95).AddDays(Random.Shared.Next(3650)).ToString("yyyy-MM-dd");
        string[] plaintext = [marker, phone, dateOfBirth];

        var clinic = platform.ClinicClient("clinic-north");
        var recordNumber = Requests.NewRecordNumber();
        var registered = await Ok(clinic.Post("/patients", new
        {
            clinicRecordNumber = recordNumber, givenName = $"Given{marker}", familyName = $"Family{marker}", dateOfBirth,
            sex = "female", contact = new { phone, email = $"{marker}@example.org", address = $"Rua {marker} 12, Porto" },
        }), HttpStatusCode.Created);
        var patient = registered["patientId"]!.GetValue<Guid>();
        Assert.Equal($"Given{marker}", registered["givenName"]!.GetValue<string>());
        await AssessmentJourneyTests.Assess(clinic, patient);

        var counseling = Platform.ClinicClient(platform.Counseling, "clinic-north");
        // Counseling learns of the registration from the bus, a moment after it.
        var session = (await Ok(Eventually.Learned(() => counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddHours(-2), counselorId = "counselor-1",
        }), notYetRule: "patient-not-registered"), HttpStatusCode.Created))["sessionId"]!.GetValue<Guid>();
        var attended = await Ok(counseling.Post($"/counseling-sessions/{session}/attendance", new
        {
            attendedAt = Now.AddHours(-2), durationMinutes = 45, note = $"Note {marker}: spoke about the partner",
        }));
        Assert.Equal($"Note {marker}: spoke about the partner", attended["note"]!.GetValue<string>());
        var cancelled = (await Ok(counseling.Post("/counseling-sessions", new
        {
            patientId = patient, scheduledFor = Now.AddDays(3), counselorId = "counselor-1",
        }), HttpStatusCode.Created))["sessionId"]!.GetValue<Guid>();
        await Ok(counseling.Post($"/counseling-sessions/{cancelled}/cancellation", new { reason = $"Reason {marker}" }));

        var plan = await MethadoneAboveTheCapThenSwitched(patient, marker);

        // Every service has told the timeline what happened.
        var timeline = await platform.TimelineWhen(patient, "clinic-north", t => Kinds(t).Contains("medication-switched")
            && Kinds(t).Contains("counseling-session-cancelled") && Kinds(t).Contains("assessment-completed"));
        Assert.NotNull(timeline);
        var entries = Kinds(timeline);

        // No personal field is stored in plaintext, in any table of any schema (the scan does see what is kept plain:
        // the clinic's record number)...
        var holding = await TablesHolding([.. plaintext, recordNumber]);
        Assert.Empty(plaintext.SelectMany(text => holding[text]));
        Assert.Contains("assessment.mt_events", holding[recordNumber]);
        // ...yet each service can open what it sealed, with the patient's key in its own key schema.
        foreach (var schema in KeySchemas) Assert.Equal(1, await KeyRows(schema, patient));
        var sealedValues = await SealedValuesOf(patient);
        Assert.Equal($"Given{marker}", JsonNode.Parse((await Open(platform.Assessment.Services, sealedValues.Registration, patient))!)!["givenName"]!.GetValue<string>());
        Assert.Contains(marker, await Open(platform.Counseling.Services, sealedValues.Note, patient));
        Assert.Contains(marker, await Open(platform.Detox.Services, sealedValues.OverrideReason, patient));

        // A clinic's administrator asks the network record to forget the person: Timeline publishes PatientErased
        // and every service deletes the patient's key.
        var clinician = Platform.ClinicClient(platform.Timeline, "clinic-north");
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.Post($"/patients/{patient}/erasure", new { })).StatusCode);
        var admin = Platform.ClinicClient(platform.Timeline, "clinic-north", Roles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await Platform.ClinicClient(platform.Timeline, "clinic-west", Roles.Admin)
            .Post($"/patients/{patient}/erasure", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Post($"/patients/{patient}/erasure", new { })).StatusCode);
        await Eventually.Until(async () => string.Join(", ", await Task.WhenAll(KeySchemas.Select(async s => $"{s}: {await KeyRows(s, patient)}"))),
            rows => !rows.Contains(": 1"), condition: "the erasure to delete the patient's key in every service");

        // The records stay, without their personal fields, and say why.
        var record = await Ok(clinic.GetAsync($"/patients/{patient}"));
        var registration = record["registration"]!;
        Assert.True(registration["personalDataErased"]!.GetValue<bool>());
        foreach (var field in new[] { "givenName", "familyName", "dateOfBirth", "contact" }) Assert.Null(registration[field]);
        Assert.Equal(registered["clinicRecordNumber"]!.GetValue<string>(), registration["clinicRecordNumber"]!.GetValue<string>());
        Assert.Equal("completed", record["assessments"]![0]!["status"]!.GetValue<string>());
        var sessionView = await Ok(counseling.GetAsync($"/counseling-sessions/{session}"));
        Assert.Equal((null, true, "attended"), ((string?)sessionView["note"], sessionView["personalDataErased"]!.GetValue<bool>(),
            sessionView["status"]!.GetValue<string>()));
        var planView = await Ok(Platform.ClinicClient(platform.Detox, "clinic-north").GetAsync($"/detox-plans/{plan}"));
        Assert.Equal((null, true, null, true), ((string?)planView["doses"]![0]!["overrideReason"],
            planView["doses"]![0]!["aboveCapOverride"]!.GetValue<bool>(), (string?)planView["switches"]![0]!["reason"],
            planView["personalDataErased"]!.GetValue<bool>()));

        // The sealed values are still stored, and can no longer be opened by anyone.
        Assert.Equal(sealedValues, await SealedValuesOf(patient));
        Assert.Null(await Open(platform.Assessment.Services, sealedValues.Registration, patient));
        Assert.Null(await Open(platform.Counseling.Services, sealedValues.Note, patient));
        Assert.Null(await Open(platform.Detox.Services, sealedValues.OverrideReason, patient));

        // A projection rebuilt from the events after erasure holds no plaintext and nothing readable either.
        var store = platform.Assessment.Services.GetRequiredService<IDocumentStore>();
        using (var daemon = await store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync<RegisteredPatientProjection>(TimeSpan.FromMinutes(2), CancellationToken.None);
        var rebuilt = await SealedValuesOf(patient);
        Assert.Equal(sealedValues.Registration, rebuilt.RegistrationDocument);
        Assert.Null(await Open(platform.Assessment.Services, rebuilt.RegistrationDocument, patient));
        Assert.True((await Ok(clinic.GetAsync($"/patients/{patient}")))["registration"]!["personalDataErased"]!.GetValue<bool>());
        Assert.Empty((await TablesHolding(plaintext)).Values.SelectMany(tables => tables));

        // The network timeline still tells the whole story.
        var after = await platform.TimelineWhen(patient, "clinic-north", _ => true);
        Assert.Equal(entries, Kinds(after!));
    }

    /// <summary>A methadone plan whose first dose goes above the cap with a documented reason, then a switch to buprenorphine.</summary>
    private async Task<Guid> MethadoneAboveTheCapThenSwitched(Guid patient, string marker)
    {
        var detox = Platform.ClinicClient(platform.Detox, "clinic-north");
        var approver = Platform.SecondClinician(platform.Detox, "clinic-north");
        var drafted = await Eventually.Learned(() => detox.Post("/detox-plans", new
        {
            patientId = patient, medication = "methadone", draftedAt = Now.AddHours(-6),
            schedule = new[] { new { phase = "induction", days = 3, dailyDoseMg = 30m }, new { phase = "taper", days = 10, dailyDoseMg = 10m } },
        }), "assessment-not-completed");
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var plan = (await drafted.Json())["planId"]!.GetValue<Guid>();
        await Ok(approver.Post($"/detox-plans/{plan}/approval", new { approvedAt = Now.AddHours(-5) }));
        var dosed = await Ok(detox.Post($"/detox-plans/{plan}/doses", new
        {
            medication = "methadone", doseMg = 35m, givenAt = Now.AddHours(-4), overrideReason = $"Override {marker}",
        }));
        Assert.Equal($"Override {marker}", dosed["doses"]![0]!["overrideReason"]!.GetValue<string>());
        await Ok(detox.Post($"/detox-plans/{plan}/medication-switch", new
        {
            toMedication = "buprenorphine", reason = $"Switch {marker}",
            schedule = new[] { new { phase = "induction", days = 2, dailyDoseMg = 12m }, new { phase = "taper", days = 6, dailyDoseMg = 4m } },
        }));
        return plan;
    }

    /// <summary>The sealed forms of the registration (event and document), the session note and the dose's override reason, as stored.</summary>
    private sealed record SealedValues(string Registration, string RegistrationDocument, string Note, string OverrideReason);

    private static async Task<SealedValues> SealedValuesOf(Guid patient) => new(
        await Text("select data->>'personalData' from assessment.mt_events where data->>'patientId' = @p and data ? 'personalData'", patient),
        await Text("select data->>'personalData' from assessment.mt_doc_registeredpatient where data->>'patientId' = @p", patient),
        await Text("select data->>'note' from counseling.mt_events where data->>'patientId' = @p and data->>'note' is not null", patient),
        await Text("select data->>'overrideReason' from detox.mt_events where data->>'patientId' = @p and data->>'overrideReason' is not null",
            patient));

    /// <summary>Opens a stored value with the vault of the service that sealed it.</summary>
    private static Task<string?> Open(IServiceProvider service, string value, Guid patient) =>
        service.GetRequiredService<PersonalDataVault>().Open("clinic-north", patient, new Sealed(value));

    /// <summary>For each of <paramref name="texts"/>, every table of every schema with a row that, read as text, contains it.</summary>
    private static async Task<Dictionary<string, List<string>>> TablesHolding(string[] texts)
    {
        await using var connection = new NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        Assert.Contains("assessment.mt_events", tables);

        var holding = texts.ToDictionary(text => text, _ => new List<string>());
        var found = string.Join(", ", texts.Select((_, i) => $"coalesce(bool_or(row ilike @p{i}), false)"));
        foreach (var table in tables)
        {
            // One pass over the table for all the texts.
            await using var scan = new NpgsqlCommand($"select {found} from (select t::text as row from {table} t) rows", connection);
            for (var i = 0; i < texts.Length; i++) scan.Parameters.AddWithValue($"p{i}", $"%{texts[i]}%");
            scan.CommandTimeout = 120;
            await using var reader = await scan.ExecuteReaderAsync();
            await reader.ReadAsync();
            for (var i = 0; i < texts.Length; i++)
                if (reader.GetBoolean(i)) holding[texts[i]].Add(table);
        }
        return holding;
    }

    private static Task<long> KeyRows(string schema, Guid patient) =>
        Platform.Count($"select count(*) from {schema}.patient_keys where patient_id = @p", ("p", patient));

    private static async Task<string> Text(string sql, Guid patient)
    {
        await using var connection = new NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", patient.ToString());
        return Assert.IsType<string>(await command.ExecuteScalarAsync());
    }
}
