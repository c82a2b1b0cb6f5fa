using System.Text.Json;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.BuildingBlocks.Corrections;

/// <summary>
/// The one place a service takes corrections of its recorded facts, addressed by the event id every timeline entry and
/// integration event carries: <c>POST /facts/{eventId}/entered-in-error</c> and <c>POST /facts/{eventId}/amendment</c>.
/// The fact is found among the caller clinic's events only (another clinic's is 404), and its stream's command table
/// decides the correction through the one command pipeline.
/// </summary>
public sealed class FactCorrections
{
    private readonly Dictionary<string, Func<HttpContext, Guid, FactRef, Correction, Task<IResult>>> _byAggregate = new(StringComparer.Ordinal);

    /// <summary>Registers an aggregate's correction handler; maps the two routes on the first registration.</summary>
    internal void Register(IEndpointRouteBuilder api, Type aggregate, Func<HttpContext, Guid, FactRef, Correction, Task<IResult>> handle)
    {
        var first = _byAggregate.Count == 0;
        _byAggregate[aggregate.FullName!] = handle;
        if (!first) return;
        api.MapPost("/facts/{eventId}/entered-in-error", (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] JsonElement? body) =>
                Correct(http, body, amendment: false))
            .WithSummary("Mark a fact this clinic recorded as entered in error, with a reason");
        api.MapPost("/facts/{eventId}/amendment", (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] JsonElement? body) =>
                Correct(http, body, amendment: true))
            .WithSummary("Amend a fact this clinic recorded: new values that supersede the old, with a reason");
    }

    private async Task<IResult> Correct(HttpContext http, JsonElement? body, bool amendment)
    {
        if (!Guid.TryParse(http.Request.RouteValues["eventId"]?.ToString(), out var eventId))
            return Problems.From(DomainError.Invalid("eventId", "request-invalid", "eventId must be a GUID"));
        var errors = new FieldErrors();
        string? reason = null;
        if (body is not { ValueKind: JsonValueKind.Object } values)
            errors.Add("body", "must be a JSON object with a reason");
        else
            reason = errors.RequiredText("reason", values.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null, 500);
        if (errors.Any) return Problems.From(errors.ToError());

        var clinic = Clinic.Of(http)!;
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(clinic);
        var fact = await session.Events.QueryAllRawEvents().Where(e => e.Id == eventId && e.TenantId == clinic)
            .FirstOrDefaultAsync(http.RequestAborted);
        var state = fact is null ? null : await session.Events.FetchStreamStateAsync(fact.StreamId, http.RequestAborted);
        if (fact is null || state?.AggregateType is not { } aggregate || !_byAggregate.TryGetValue(aggregate.FullName!, out var handle))
            return Problems.From(DomainError.NotFound("fact-not-found", $"This clinic recorded no fact {eventId}."));
        return await handle(http, fact.StreamId, new FactRef(fact.Id, fact.Version, fact.Data), new Correction(amendment, reason!, body!.Value));
    }
}
