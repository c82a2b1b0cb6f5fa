using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Recovery.BuildingBlocks.Corrections;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Time;

namespace Recovery.BuildingBlocks.Commands;

/// <summary>How a command writes its stream: plain (optimistic, a concurrent change is decided again) or exclusive (the
/// stream's row is locked for the command, so writers queue instead of failing).</summary>
public enum Writing
{
    Plain,
    Exclusive,
}

/// <summary>For an aggregate whose decisions need nothing besides the state, the command and the context.</summary>
public sealed record NoNeeds
{
    public static readonly NoNeeds None = new();

    public static Task<NoNeeds> Of<T>(T _, object __, CommandContext ___) => Task.FromResult(None);
}

/// <summary>
/// The command table of one aggregate: every command on it, one line each (route, request, which stream, how it writes,
/// the pure decision), over the one pipeline that validates, fetches once, seals, decides, appends, commits with a retry
/// on a concurrent change, stamps trace and recorder, turns a lost creation race into its refusal and answers.
/// <typeparamref name="TNeeds"/> is what every decision on the aggregate reads besides its state (the clinic's protocol,
/// the patient's current episode, ...), loaded once per attempt.
/// </summary>
public sealed class CommandTable<TState, TNeeds> where TState : class
{
    /// <summary>
    /// How often a command is decided again when another writer (a request, or a consumer recording a fact from the
    /// bus) appended to the same stream in between. The decision is remade on the new state, so no rule is skipped;
    /// only after the last attempt does the caller get 409 concurrent-change.
    /// </summary>
    private const int Attempts = 3;

    private readonly IEndpointRouteBuilder _api;
    private readonly Aggregate _aggregate;

    /// <param name="api">The route group the commands are mapped on (its roles and clinic requirement apply).</param>
    /// <param name="idParameter">The route parameter holding the stream id, e.g. "planId".</param>
    /// <param name="notFound">The 404 of an id with no stream at this clinic.</param>
    /// <param name="patientOf">Whose key seals and opens the aggregate's personal text.</param>
    /// <param name="evolve">The aggregate's fold, to answer with the state after the new events.</param>
    /// <param name="needs">What every decision on the aggregate reads besides the state (given the state and the command), loaded once per attempt.</param>
    /// <param name="holdsPersonalText">Whether the answer opens sealed text, so the patient's key is read for it.</param>
    /// <param name="answer">The answer: the aggregate as the API shows it.</param>
    /// <param name="location">Where a new stream is found, for 201 Created.</param>
    /// <param name="decidedOn">
    /// The state a command on an existing stream is decided on, given the stored state and the needs: for an aggregate whose
    /// stored state leaves out parts kept as documents of their own (a help group's members), the part the command is about
    /// put back. The same state is folded with the new events for the answer. The stored state itself unless given.
    /// </param>
    public CommandTable(
        IEndpointRouteBuilder api,
        string idParameter,
        Func<Guid, DomainError> notFound,
        Func<TState, Guid> patientOf,
        Func<TState, object, TState> evolve,
        Func<TState?, object, CommandContext, Task<TNeeds>> needs,
        Func<TState, TNeeds, CommandContext, PersonalDataReader, object> answer,
        Func<TState, string> location,
        Func<TState, bool>? holdsPersonalText = null,
        Func<TState, TNeeds, TState>? decidedOn = null)
    {
        _api = api;
        _aggregate = new Aggregate(idParameter, notFound, patientOf, evolve, needs, answer, location, holdsPersonalText ?? (_ => false),
            decidedOn ?? ((state, _) => state));
    }

    /// <summary>A command on an existing stream, its id in the route.</summary>
    /// <param name="seals">Whether this command carries personal text to seal with the patient's key.</param>
    /// <param name="emptyBody">The request a command with an optional body stands for when sent without one.</param>
    public CommandTable<TState, TNeeds> On<TRequest, TCommand>(string route, string summary,
        Func<TRequest, CommandContext, Validated<TCommand>> validate,
        Func<TState, TCommand, TNeeds, CommandContext, Decision> decide,
        Writing writing = Writing.Plain, Func<TCommand, bool>? seals = null, Func<TRequest>? emptyBody = null) where TRequest : class
    {
        _api.MapPost(route, (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TRequest? request) =>
                Existing(http, Validate(request ?? emptyBody?.Invoke(), http, validate), StreamIdFromRoute, decide, writing, seals))
            .WithSummary(summary);
        return this;
    }

    /// <summary>A command with no body on an existing stream, its id in the route.</summary>
    public CommandTable<TState, TNeeds> On<TCommand>(string route, string summary,
        Func<CommandContext, Validated<TCommand>> validate,
        Func<TState, TCommand, TNeeds, CommandContext, Decision> decide,
        Writing writing = Writing.Plain)
    {
        _api.MapPost(route, (Func<HttpContext, Task<IResult>>)(http => Existing(http, validate(ContextOf(http)), StreamIdFromRoute, decide, writing, null)))
            .WithSummary(summary);
        return this;
    }

    /// <summary>A command on an existing stream that is looked up rather than named (e.g. the patient's open monitoring).</summary>
    /// <param name="find">The stream's id, or the refusal when there is none to act on.</param>
    public CommandTable<TState, TNeeds> OnFound<TRequest, TCommand>(string route, string summary,
        Func<TRequest, CommandContext, Validated<TCommand>> validate,
        Func<TCommand, CommandContext, Task<Validated<Guid>>> find,
        Func<TState, TCommand, TNeeds, CommandContext, Decision> decide,
        Writing writing = Writing.Plain, Func<TCommand, bool>? seals = null) where TRequest : class
    {
        _api.MapPost(route, (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TRequest? request) =>
                Existing(http, Validate(request, http, validate), find, decide, writing, seals))
            .WithSummary(summary);
        return this;
    }

    /// <summary>
    /// A command (PUT) on a stream that may not exist yet, such as a clinic's one setting: the decision is given null
    /// before the first change, and two first changes racing end in 409 concurrent-change for the loser.
    /// </summary>
    public CommandTable<TState, TNeeds> Put<TRequest, TCommand>(string route, string summary,
        Func<TRequest, CommandContext, Validated<TCommand>> validate,
        Func<TCommand, CommandContext, Guid> streamId,
        Func<TState?, TCommand, TNeeds, CommandContext, Decision> decide) where TRequest : class
    {
        _api.MapPut(route, (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TRequest? request) =>
                OnStream(http, Validate(request, http, validate), (command, context) => Task.FromResult((Validated<Guid>)streamId(command, context)),
                    decide, Writing.Plain, seals: null, mayBeNew: true))
            .WithSummary(summary);
        return this;
    }

    /// <summary>A command that starts a new stream.</summary>
    /// <param name="streamId">The new stream's id (new, or derived from the command so a duplicate collides in the store).</param>
    /// <param name="read">What the decision reads before the stream exists (the registration, an open plan, ...).</param>
    /// <param name="lostRace">
    /// The refusal when another request created the same stream, or broke the named unique index, between the read and the
    /// commit: the answer the loser would have had had it come second.
    /// </param>
    /// <param name="uniqueIndex">A unique index whose violation means the race was lost.</param>
    /// <param name="sealsFor">The patient whose key seals this command's personal text, when it carries any.</param>
    /// <param name="accepted">Answer 202 Accepted: the command starts work that completes elsewhere (an erasure).</param>
    /// <param name="streamIdOfRead">The new stream's id as the read found it, when it depends on what is stored (a record
    /// number's next registration after one entered in error); <paramref name="streamId"/> otherwise.</param>
    public CommandTable<TState, TNeeds> Start<TRequest, TCommand, TRead>(string route, string summary,
        Func<TRequest, CommandContext, Validated<TCommand>> validate,
        Func<TCommand, CommandContext, Guid> streamId,
        Func<TCommand, CommandContext, Task<TRead>> read,
        Func<TRead, TCommand, CommandContext, Decision> decide,
        Func<TCommand, CommandContext, Task<DomainError>>? lostRace = null,
        string? uniqueIndex = null,
        Func<TCommand, Guid?>? sealsFor = null,
        bool accepted = false,
        Func<TRequest>? emptyBody = null,
        Func<TRead, Guid>? streamIdOfRead = null) where TRequest : class
    {
        var line = new StartLine<TCommand, TRead>(streamId, read, decide, lostRace, uniqueIndex, sealsFor, accepted, streamIdOfRead);
        _api.MapPost(route, (HttpContext http, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TRequest? request) =>
                New(http, Validate(request ?? emptyBody?.Invoke(), http, validate), line))
            .WithSummary(summary);
        return this;
    }

    /// <summary>A command with no body that starts a new stream.</summary>
    public CommandTable<TState, TNeeds> Start<TCommand, TRead>(string route, string summary,
        Func<CommandContext, Validated<TCommand>> validate,
        Func<TCommand, CommandContext, Guid> streamId,
        Func<TCommand, CommandContext, Task<TRead>> read,
        Func<TRead, TCommand, CommandContext, Decision> decide,
        Func<TCommand, CommandContext, Task<DomainError>>? lostRace = null,
        string? uniqueIndex = null,
        bool accepted = false)
    {
        var line = new StartLine<TCommand, TRead>(streamId, read, decide, lostRace, uniqueIndex, null, accepted, null);
        _api.MapPost(route, (Func<HttpContext, Task<IResult>>)(http => New(http, validate(ContextOf(http)), line))).WithSummary(summary);
        return this;
    }

    /// <summary>
    /// Corrections of the facts in this aggregate's streams (entered in error, amended), decided by <paramref name="decide"/>
    /// on the fetched state like any command; the reason is sealed with the patient's key.
    /// </summary>
    public CommandTable<TState, TNeeds> Corrects(Func<TState, FactRef, Correction, TNeeds, CommandContext, Decision> decide)
    {
        _api.ServiceProvider.GetRequiredService<FactCorrections>().Register(_api, typeof(TState), (http, streamId, fact, correction) =>
            Existing(http, (Validated<Correction>)correction, (_, _) => Task.FromResult((Validated<Guid>)streamId),
                (state, c, needs, context) => decide(state, fact, c, needs, context), Writing.Plain, _ => true,
                notFound: _ => FactCorrections.NotFound(fact.EventId)));
        return this;
    }

    private sealed record Aggregate(
        string IdParameter,
        Func<Guid, DomainError> NotFound,
        Func<TState, Guid> PatientOf,
        Func<TState, object, TState> Evolve,
        Func<TState?, object, CommandContext, Task<TNeeds>> Needs,
        Func<TState, TNeeds, CommandContext, PersonalDataReader, object> Answer,
        Func<TState, string> Location,
        Func<TState, bool> HoldsPersonalText,
        Func<TState, TNeeds, TState> DecidedOn);

    private sealed record StartLine<TCommand, TRead>(
        Func<TCommand, CommandContext, Guid> StreamId,
        Func<TCommand, CommandContext, Task<TRead>> Read,
        Func<TRead, TCommand, CommandContext, Decision> Decide,
        Func<TCommand, CommandContext, Task<DomainError>>? LostRace,
        string? UniqueIndex,
        Func<TCommand, Guid?>? SealsFor,
        bool Accepted,
        Func<TRead, Guid>? StreamIdOfRead);

    /// <summary>The context of a request: its clinic (the route group guarantees one), recorder and the clinic's now.</summary>
    private static CommandContext ContextOf(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(CommandContext), out var known)) return (CommandContext)known!;
        var clinic = Clinic.Of(http)!;
        var context = new CommandContext(http, clinic, CommandContext.RecorderOf(http),
            http.RequestServices.GetRequiredService<ClinicClock>().Now(clinic));
        http.Items[typeof(CommandContext)] = context;
        return context;
    }

    /// <summary>A command's request validated in its context; a missing body is named as such (400), not a crash.</summary>
    private static Validated<TCommand> Validate<TRequest, TCommand>(TRequest? request, HttpContext http,
        Func<TRequest, CommandContext, Validated<TCommand>> validate) where TRequest : class =>
        request is null
            ? DomainError.Invalid("body", "request-body-required", "A JSON body is required.")
            : validate(request, ContextOf(http));

    private Task<Validated<Guid>> StreamIdFromRoute<TCommand>(TCommand _, CommandContext context) =>
        Task.FromResult(context.RouteId(_aggregate.IdParameter));

    private Task<IResult> Existing<TCommand>(HttpContext http, Validated<TCommand> validated,
        Func<TCommand, CommandContext, Task<Validated<Guid>>> find, Func<TState, TCommand, TNeeds, CommandContext, Decision> decide,
        Writing writing, Func<TCommand, bool>? seals, Func<Guid, DomainError>? notFound = null) =>
        OnStream(http, validated, find, (state, command, needs, context) => decide(state!, command, needs, context), writing, seals, mayBeNew: false,
            notFound);

    /// <summary>
    /// The flow of a command on one stream: find, fetch, seal, decide, append, commit, answer. A stream that
    /// <paramref name="mayBeNew"/> (a setting before its first change) is decided on null instead of answering 404, and a
    /// first change that loses its race, or any concurrent change to it, is the caller's 409, not decided again.
    /// <paramref name="notFound"/> answers a stream that holds no such aggregate (the aggregate's own 404 unless told).
    /// </summary>
    private async Task<IResult> OnStream<TCommand>(HttpContext http, Validated<TCommand> validated,
        Func<TCommand, CommandContext, Task<Validated<Guid>>> find, Func<TState?, TCommand, TNeeds, CommandContext, Decision> decide,
        Writing writing, Func<TCommand, bool>? seals, bool mayBeNew, Func<Guid, DomainError>? notFound = null)
    {
        notFound ??= _aggregate.NotFound;
        if (validated.Error is { } invalid) return Problems.From(invalid);
        var command = validated.Value!;
        var context = ContextOf(http);
        var store = http.RequestServices.GetRequiredService<IDocumentStore>();
        PatientKey? key = null;

        for (var attempt = 1; ; attempt++)
        {
            // A failed unit of work is not reused: each attempt has a fresh session in the clinic.
            await using var session = RecordingSession.Open(store, context.ClinicId, context.By);
            context.Session = session;
            var found = await find(command, context);
            if (found.Error is { } none) return Problems.From(none);
            var streamId = found.Value;
            if (streamId == Guid.Empty) return Problems.From(notFound(streamId));

            var stream = writing == Writing.Exclusive
                ? await session.Events.FetchForExclusiveWriting<TState>(streamId, http.RequestAborted)
                : await session.Events.FetchForWriting<TState>(streamId, http.RequestAborted);
            var state = stream.Aggregate;
            if (state is null && !mayBeNew) return Problems.From(notFound(streamId));

            if (seals?.Invoke(command) == true)
            {
                key ??= await Vault(http).KeyFor(context.ClinicId, _aggregate.PatientOf(state!), http.RequestAborted);
                context.Seal = key.Seal;
            }
            var needs = await _aggregate.Needs(state, command!, context);
            if (state is not null) state = _aggregate.DecidedOn(state, needs);
            var decision = decide(state, command, needs, context);
            if (decision.Error is { } refused) return Problems.From(refused);

            if (decision.Events.Count > 0) stream.AppendMany(decision.Events.ToArray());
            if (decision.Documents is { Count: > 0 } documents) session.StoreObjects(documents);
            try
            {
                await session.SaveChangesAsync(http.RequestAborted);
            }
            catch (ConcurrencyException) when (!mayBeNew && attempt < Attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20) * attempt, http.RequestAborted);
                continue;
            }
            catch (Exception ex) when (mayBeNew && (IsLostRace(ex, null) || ex is ConcurrencyException))
            {
                return Problems.From(DomainError.Conflict("concurrent-change",
                    "The record was changed by another request at the same time; read it again and retry."));
            }
            var after = decision.Events.Aggregate(state, (s, e) => _aggregate.Evolve(s!, e));
            return Results.Ok(await Answer(http, after!, needs, context, key));
        }
    }

    private async Task<IResult> New<TCommand, TRead>(HttpContext http, Validated<TCommand> validated, StartLine<TCommand, TRead> line)
    {
        if (validated.Error is { } invalid) return Problems.From(invalid);
        var command = validated.Value!;
        var context = ContextOf(http);
        var store = http.RequestServices.GetRequiredService<IDocumentStore>();

        await using var session = RecordingSession.Open(store, context.ClinicId, context.By);
        context.Session = session;
        var read = await line.Read(command, context);
        var streamId = line.StreamIdOfRead?.Invoke(read) ?? line.StreamId(command, context);
        PatientKey? key = null;
        if (line.SealsFor?.Invoke(command) is { } patientId)
        {
            key = await Vault(http).KeyFor(context.ClinicId, patientId, http.RequestAborted);
            context.Seal = key.Seal;
        }
        var decision = line.Decide(read, command, context);
        if (decision.Error is { } refused) return Problems.From(refused);

        session.Events.StartStream<TState>(streamId, decision.Events.ToArray());
        if (decision.Documents is { Count: > 0 } documents) session.StoreObjects(documents);
        try
        {
            await session.SaveChangesAsync(http.RequestAborted);
        }
        catch (Exception ex) when (IsLostRace(ex, line.UniqueIndex) || IsConcurrent(ex))
        {
            // Lost a race with a request for the same stream, or for a document it changes under an optimistic version
            // (a link code spent by another clinic at the same instant): answer as if it came second.
            await using var reader = RecordingSession.Open(store, context.ClinicId);
            context.Session = reader;
            return Problems.From(line.LostRace is null
                ? DomainError.Conflict("concurrent-change", "The same record was created by another request at the same time; read it and retry.")
                : await line.LostRace(command, context));
        }
        var state = decision.Events.Aggregate((TState?)null, (s, e) => _aggregate.Evolve(s!, e))!;
        var needs = await _aggregate.Needs(state, command!, context);
        var answer = await Answer(http, state, needs, context, key);
        return line.Accepted ? Results.Accepted(_aggregate.Location(state), answer) : Results.Created(_aggregate.Location(state), answer);
    }

    private async Task<object> Answer(HttpContext http, TState state, TNeeds needs, CommandContext context, PatientKey? key)
    {
        if (key is null && _aggregate.HoldsPersonalText(state))
            key = await Vault(http).ExistingKey(context.ClinicId, _aggregate.PatientOf(state), http.RequestAborted);
        return _aggregate.Answer(state, needs, context, key is null ? PersonalDataReader.Nothing : new PersonalDataReader(key));
    }

    private static PersonalDataVault Vault(HttpContext http) => http.RequestServices.GetRequiredService<PersonalDataVault>();

    private static bool IsConcurrent(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
            if (e is ConcurrencyException || e is AggregateException { InnerExceptions: var all } && all.Any(IsConcurrent)) return true;
        return false;
    }

    private static bool IsLostRace(Exception ex, string? uniqueIndex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException) return true;
            if (uniqueIndex is not null && e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg &&
                pg.ConstraintName == uniqueIndex) return true;
        }
        return false;
    }
}
