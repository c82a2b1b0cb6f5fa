using System.Net;
using System.Text.Json.Nodes;

namespace Recovery.Integration.Tests;

/// <summary>A fact entered late stands where it happened: on the timeline and in FHIR, with when it was recorded beside it.</summary>
[Collection(PlatformCollection.Name)]
public class ClinicalTimeTests(Platform platform)
{
    [Fact]
    public async Task A_score_entered_late_is_placed_by_when_it_was_taken()
    {
        var clinic = platform.ClinicClient("clinic-north");
        var registered = await (await clinic.Post("/patients", Requests.Patient(Requests.NewRecordNumber()))).Json();
        var patient = registered["patientId"]!.GetValue<Guid>();
        var assessment = (await (await clinic.Post($"/patients/{patient}/assessments", new { })).Json())["assessmentId"]!.GetValue<Guid>();
        var now = DateTimeOffset.UtcNow;
        var taken = new[] { now.AddHours(-1), now.AddHours(-30) }; // the second, from a paper chart, was taken first
        foreach (var scoredAt in taken)
        {
            var scored = await clinic.Post($"/assessments/{assessment}/withdrawal-scores", new { scoredAt, items = Requests.CowsItems() });
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }

        var timeline = await platform.TimelineWhen(patient, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 4);
        Assert.NotNull(timeline);
        var scores = timeline["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "withdrawal-scored").ToList();
        Assert.Equal([taken[1], taken[0]], scores.Select(e => e!["effectiveAt"]!.GetValue<DateTimeOffset>()).ToList(), new SameInstant());
        // Recorded in the other order: the late entry was recorded last but stands first.
        Assert.True(scores[0]!["recordedAt"]!.GetValue<DateTimeOffset>() > scores[1]!["recordedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("withdrawal-scored", timeline["entries"]![0]!["kind"]!.GetValue<string>());

        var fhir = await (await Platform.ClinicClient(platform.Timeline, "clinic-north").GetAsync($"/patients/{patient}/fhir")).Json();
        var cows = fhir["entry"]!.AsArray().Select(e => e!["resource"]!)
            .Where(r => r["resourceType"]!.GetValue<string>() == "Observation" && r["code"]?["text"]?.GetValue<string>() is { } text && text.Contains("COWS"))
            .ToList();
        Assert.Equal(2, cows.Count);
        Assert.Contains(cows, o => new SameInstant().Equals(DateTimeOffset.Parse(o["effectiveDateTime"]!.GetValue<string>()), taken[1]) &&
            DateTimeOffset.Parse(o["issued"]!.GetValue<string>()) > taken[0]);
    }

    private sealed class SameInstant : IEqualityComparer<DateTimeOffset>
    {
        // FHIR and JSON round-trip instants to the millisecond at least.
        public bool Equals(DateTimeOffset a, DateTimeOffset b) => Math.Abs((a - b).TotalMilliseconds) < 1;

        public int GetHashCode(DateTimeOffset value) => 0;
    }
}
