using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Contracts;

namespace Recovery.Timeline.Recording;

/// <summary>
/// Appends an integration event to the patient's stream in the timeline's own store, keeping the
/// source event id, so every read model here can be rebuilt from this store alone.
/// </summary>
public sealed class PatientEventRecorder<TEvent>(IDocumentStore store, RecordingPause pause, ILogger<PatientEventRecorder<TEvent>> logger)
    : IdempotentConsumer<TEvent>(store, logger)
    where TEvent : class, IPatientEvent
{
    public override async Task Consume(ConsumeContext<TEvent> context)
    {
        using var recording = await pause.RecordAsync(context.CancellationToken);
        var gate = PatientGates.Of(context.Message.PatientId);
        await gate.WaitAsync(context.CancellationToken);
        try { await base.Consume(context); }
        finally { gate.Release(); }
    }

    protected override Task Handle(IDocumentSession session, ConsumeContext<TEvent> context)
    {
        // Appended, not fetched: the timeline's projection adds one entry (or marks one) and reads nothing of the journey, so the
        // cost of a fact does not grow with it. Concurrent appends to one stream queue on its row lock (quick append).
        var appended = session.Events.Append(context.Message.PatientId, context.Message);
        appended.Events[^1].Id = context.MessageId!.Value; // the source event id: the entry's id everywhere
        return Task.CompletedTask;
    }
}

/// <summary>
/// One patient's facts are recorded one at a time in this process (striped by patient id), whatever their type:
/// concurrent first facts of a new patient would otherwise both try to start the stream and one would retry.
/// Across processes the stream's row lock and the retry policy still keep them apart.
/// </summary>
internal static class PatientGates
{
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public static SemaphoreSlim Of(Guid patientId) => Gates[(uint)patientId.GetHashCode() % Gates.Length];
}
