using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Telemetry;
using V1 = Recovery.Contracts.Assessment.V1;

namespace Recovery.Integration.Tests;

[Collection(PlatformCollection.Name)]
public class RedeliveryTests(Platform platform)
{
    [Fact]
    public async Task A_message_delivered_three_times_is_on_the_timeline_once()
    {
        using var measurements = new PlatformMeasurements();
        var bus = platform.Assessment.Services.GetRequiredService<IBus>();
        var patientId = Guid.NewGuid();
        var episodeId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var fact = new V1.AssessmentStarted(patientId, "clinic-north", episodeId, DateTimeOffset.UtcNow, episodeId);

        // Two copies race each other; a third comes after the first has taken effect.
        await Task.WhenAll(Publish(), Publish());
        var timeline = await platform.TimelineWhen(patientId, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 1);
        Assert.NotNull(timeline);
        await Publish();
        // Of the three copies the timeline's inbox drops two, the loser of the race and the third: once both drops are counted,
        // no copy is left to take effect.
        await Eventually.Until(
            () => measurements.Total(PlatformTelemetry.DuplicatesDropped, "consumer", c => c.StartsWith("timeline:", StringComparison.Ordinal)),
            dropped => dropped >= 2, condition: "the timeline's inbox to drop two of the three copies");

        timeline = await platform.TimelineWhen(patientId, "clinic-north", _ => true);
        Assert.Equal(1, timeline!["entryCount"]!.GetValue<int>());
        Assert.Equal(messageId, timeline["entries"]![0]!["eventId"]!.GetValue<Guid>());
        Assert.Equal(1, await Platform.Count("select count(*) from timeline.mt_events where stream_id = @id", ("id", patientId)));
        Assert.Equal(1, await Platform.Count("select count(*) from timeline.mt_doc_processedmessage where data->>'messageId' = @id",
            ("id", messageId.ToString())));

        Task Publish() => bus.Publish(fact, context => context.MessageId = messageId);
    }

    [Fact]
    public async Task Facts_from_one_patient_arriving_together_are_all_kept()
    {
        var bus = platform.Assessment.Services.GetRequiredService<IBus>();
        var patientId = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        // Published out of order and at once: the timeline orders them by when they happened.
        var facts = Enumerable.Range(0, 20)
            .Select(i => new V1.AssessmentStarted(patientId, "clinic-north", Guid.NewGuid(), start.AddMinutes(i), Guid.NewGuid()))
            .Reverse()
            .ToList();
        await Task.WhenAll(facts.Select(f => bus.Publish(f)));

        var timeline = await platform.TimelineWhen(patientId, "clinic-north", t => t["entryCount"]!.GetValue<int>() >= 20);
        Assert.Equal(20, timeline!["entryCount"]!.GetValue<int>());
        var times = timeline["entries"]!.AsArray().Select(e => e!["occurredAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);
    }
}
