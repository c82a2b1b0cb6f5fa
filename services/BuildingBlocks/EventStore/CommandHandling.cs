using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.BuildingBlocks.EventStore;

/// <summary>
/// The one way a command changes a stream: load the aggregate, decide, append with optimistic
/// concurrency in one transaction. A refusal appends nothing.
/// </summary>
public static class CommandHandling
{
    /// <summary>
    /// How often a command is decided again when another writer (a request, or a consumer recording a fact from the
    /// bus) appended to the same stream in between. The decision is remade on the new state, so no rule is skipped;
    /// only after the last attempt does the caller get 409 concurrent-change.
    /// </summary>
    private const int Attempts = 3;

    public static Task<IResult> Decide<TState>(
        IDocumentSession session,
        Guid streamId,
        string notFoundRule,
        Func<TState, Decision> decide,
        Func<TState, IReadOnlyList<object>, IResult> onAccepted,
        CancellationToken ct) where TState : class =>
        Decide(session, streamId, notFoundRule, decide, (state, events) => Task.FromResult(onAccepted(state, events)), ct);

    /// <summary>As above, for an answer that needs a look-up of its own (opening sealed personal data).</summary>
    public static async Task<IResult> Decide<TState>(
        IDocumentSession session,
        Guid streamId,
        string notFoundRule,
        Func<TState, Decision> decide,
        Func<TState, IReadOnlyList<object>, Task<IResult>> onAccepted,
        CancellationToken ct) where TState : class
    {
        for (var attempt = 1; ; attempt++)
        {
            // A failed unit of work is not reused: a retry opens a fresh session in the same clinic.
            await using var retry = attempt == 1 ? null : session.DocumentStore.LightweightSession(session.TenantId);
            var writer = retry ?? session;
            if (retry is not null) TraceContext.Stamp(retry);

            var stream = await writer.Events.FetchForWriting<TState>(streamId, ct);
            if (stream.Aggregate is null)
                return Problems.From(DomainError.NotFound(notFoundRule, $"No record {streamId} at this clinic."));

            var decision = decide(stream.Aggregate);
            if (decision.Error is { } error) return Problems.From(error);

            stream.AppendMany(decision.Events.ToArray());
            try
            {
                await writer.SaveChangesAsync(ct);
                return await onAccepted(stream.Aggregate, decision.Events);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20) * attempt, ct);
            }
        }
    }
}
