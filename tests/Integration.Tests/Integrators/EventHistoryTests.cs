using System.Net;
using Npgsql;
using static Recovery.Integration.Tests.CareJourneyTests;

namespace Recovery.Integration.Tests.Integrators;

/// <summary>
/// An integrator that joins late, or lost its queue, replays the history stream with a plain AMQP client: from the first
/// offset, every fact once, one patient's facts from each service in the order they were committed, then live; and from
/// an offset it stored, the rest.
/// </summary>
[Collection(PlatformCollection.Name)]
public class EventHistoryTests(Platform platform)
{
    [Fact]
    public async Task A_late_integrator_reads_every_fact_of_a_journey_once_in_order_from_the_first_offset_and_then_live()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-north"));
        await DetoxCompletedLongAgo(platform, patient, "clinic-north", completedDaysAgo: 3);
        // The Timeline recorded every patient fact of the journey under its message id: what the history must hold.
        var recorded = await RecordedFacts(patient, atLeast: 16);

        await using var reader = await HistoryReader.Start("first", m => m.PatientId == patient);
        var journey = await reader.Until(kept => recorded.All(id => kept.Any(m => m.MessageId == id)), $"the {recorded.Count} facts of patient {patient}");
        Assert.Contains(journey, m => m.Type == "MonitoringStarted");   // derived by Relapse tracking from the DetoxCompleted

        // A fact recorded now arrives live on the same consumer, after everything the stream held before it.
        var south = platform.ClinicClient("clinic-south");
        Assert.Equal(HttpStatusCode.Created, (await south.Post("/patients", Requests.Patient(Requests.NewRecordNumber(), patient))).StatusCode);
        var all = await reader.Until(kept => kept.Any(m => m.Type == "PatientRegistered" && m.Envelope["message"]!["clinicId"]!.GetValue<string>() == "clinic-south"),
            "the live registration at clinic-south");

        var duplicates = all.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).Select(g => g.First().ToString()).ToList();
        Assert.True(duplicates.Count == 0, $"delivered more than once: {string.Join(", ", duplicates)}");
        Assert.Equal(recorded.Count + 1, all.Count);
        // Each service publishes one patient's facts in the order it committed them (its source sequence).
        foreach (var service in all.GroupBy(m => m.Service))
        {
            var sequences = service.Select(m => m.Sequence).ToList();
            Assert.True(sequences.SequenceEqual(sequences.Order()), $"{service.Key} out of order: {string.Join(", ", service)}");
        }
        Assert.True(all.Select(m => m.Offset).SequenceEqual(all.Select(m => m.Offset).Order()));
    }

    [Fact]
    public async Task A_consumer_that_stopped_at_an_offset_resumes_after_it_and_gets_exactly_the_rest()
    {
        var patient = await AssessmentJourneyTests.RegisterAndAssess(platform.ClinicClient("clinic-east"));
        var recorded = await RecordedFacts(patient, atLeast: 9);

        long stored;
        IReadOnlyList<Delivered> before;
        await using (var first = await HistoryReader.Start("first", m => m.PatientId == patient))
        {
            var read = await first.Until(kept => kept.Count >= 4, $"four facts of patient {patient}");
            // The integrator stores the offset of the last message it processed, and stops.
            before = read.Take(4).ToList();
            stored = before[^1].Offset;
        }

        await using var resumed = await HistoryReader.Start(stored + 1, m => m.PatientId == patient);
        var rest = await resumed.Until(kept => kept.Count >= recorded.Count - before.Count, $"the other {recorded.Count - before.Count} facts");
        Assert.All(rest, m => Assert.True(m.Offset > stored, $"{m} was before the stored offset {stored}"));
        Assert.Equal(recorded.Order(), before.Concat(rest).Select(m => m.MessageId).Order());
    }

    /// <summary>The ids of the patient's facts the Timeline recorded, once at least <paramref name="atLeast"/> arrived.</summary>
    internal static async Task<IReadOnlyList<Guid>> RecordedFacts(Guid patient, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<Guid> ids;
        while ((ids = await TimelineEventIds(patient)).Count < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the Timeline recorded {ids.Count} facts of patient {patient}, not {atLeast}");
            await Task.Delay(100);
        }
        return ids;
    }

    private static async Task<List<Guid>> TimelineEventIds(Guid patient)
    {
        await using var connection = new NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id from timeline.mt_events where stream_id = @patient", connection);
        command.Parameters.AddWithValue("patient", patient);
        var ids = new List<Guid>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync()) ids.Add(rows.GetGuid(0));
        return ids;
    }
}
