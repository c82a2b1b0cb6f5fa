using MassTransit;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Contracts;

namespace Recovery.Timeline.Recording;

/// <summary>
/// Appends an integration event to the patient's stream in the timeline's own store, keeping the
/// source event id, so every read model here can be rebuilt from this store alone. The append and the inbox row commit in
/// a batch with the other facts arriving meanwhile (<see cref="InboxBatches"/>: one transaction for many facts, each
/// acknowledged only once committed, a fact seen twice dropped), one batch at a time in this process, so one patient's
/// facts never race each other here. Across processes the stream's row lock and the retry policy keep them apart.
/// </summary>
public sealed class PatientEventRecorder<TEvent>(InboxBatches inbox, RecordingPause pause) : IConsumer<TEvent>
    where TEvent : class, IPatientEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TEvent).Name} has no message id; it cannot be de-duplicated.");
        using var recording = await pause.RecordAsync(context.CancellationToken);
        var fact = context.Message;
        var trace = System.Diagnostics.Activity.Current?.Id;
        await inbox.Record(GetType(), messageId, fact, session =>
        {
            // Appended, not fetched: the timeline's projection adds one entry (or marks one) and reads nothing of the journey, so
            // the cost of a fact does not grow with it. Concurrent appends to one stream queue on its row lock (quick append).
            var appended = session.Events.Append(fact.PatientId, fact);
            var e = appended.Events[^1];
            e.Id = messageId; // the source event id: the entry's id everywhere
            if (trace is not null) e.SetHeader(RecordingSession.TraceHeader, trace); // the batch's session has no trace of its own
        }, context.CancellationToken);
    }
}
