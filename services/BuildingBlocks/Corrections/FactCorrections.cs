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
using Recovery.BuildingBlocks.Messaging;
using Recovery.Clinical;

namespace Recovery.BuildingBlocks.Corrections;

/// <summary>
/// The one place a service takes corrections of its recorded facts, addressed by the event id every timeline entry and
/// integration event carries: <c>POST /facts/{eventId}/entered-in-error</c> and <c>POST /facts/{eventId}/amendment</c>.
/// The fact is found among the caller clinic's events only (another clinic's is 404), and the command table of the one
/// aggregate of the service that takes corrections decides it through the one command pipeline; a fact in another
/// aggregate's stream is 404 there, when the pipeline finds no such aggregate.
/// </summary>
public sealed class FactCorrections
{
    private Func<HttpContext, Guid, FactRef, Correction, Task<IResult>>? _handle;

    /// <summary>Registers the aggregate that takes the service's corrections and maps the two routes.</summary>
    internal void Register(IEndpointRouteBuilder api, Type aggregate, Func<HttpContext, Guid, FactRef, Correction, Task<IResult>> handle)
    {
        if (_handle is not null)
            throw new InvalidOperationException($"One aggregate per service takes corrections; {aggregate.Name} would be a second.");
        _handle = handle;
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
        if (fact is null || _handle is null) return Problems.From(NotFound(eventId));
        return await _handle(http, fact.StreamId, new FactRef(fact.Id, fact.Version, fact.Data, KindOf(http.RequestServices.GetService<IIntegrationEventMap>(), fact)),
            new Correction(amendment, reason!, body!.Value));
    }

    public static DomainError NotFound(Guid eventId) => DomainError.NotFound("fact-not-found", $"This clinic recorded no fact {eventId}.");

    /// <summary>
    /// The one place a corrected fact's kind is named: the kebab name of the contract the service's gateway publishes it as,
    /// so a consumer matches the correction with the message it received (a fact that is not published: its own type's name).
    /// </summary>
    public static string KindOf(IIntegrationEventMap? gateway, IEvent fact) =>
        Kebab.Of((gateway?.ToIntegrationEvent(fact) ?? fact.Data).GetType().Name);
}
