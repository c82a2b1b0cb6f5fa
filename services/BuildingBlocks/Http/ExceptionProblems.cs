using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.EventStore;

namespace Recovery.BuildingBlocks.Http;

/// <summary>
/// Turns the exceptions a request can end in into problem details: unreadable JSON is a 400 naming
/// the field, a concurrent write is a 409, an unreachable database or broker is a 503. Anything else
/// is a 500 without internals. Nothing was committed in any of these cases.
/// </summary>
internal sealed class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var error = Classify(exception);
        if (error is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return false;
        }
        var details = Problems.ToDetails(error);
        http.Response.StatusCode = details.Status ?? 500;
        if (error.Kind == ErrorKind.Unavailable) http.Response.Headers.RetryAfter = "5";
        if (Database(exception) is not null && http.RequestServices.GetService(typeof(Marten.IDocumentStore)) is Marten.IDocumentStore store)
            EventStoreSetup.ForgetIdleConnections(store);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    private static DomainError? Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } when RecorderField(json) is { } field =>
            DomainError.Invalid(field, "recorder-from-token",
                $"Who recorded a fact comes from the bearer token (its 'sub'), not the body: remove '{field}'."),
        BadHttpRequestException { InnerException: JsonException json } =>
            DomainError.Invalid(FieldOf(json), "malformed-json", Clean(json.Message)),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType =>
            new DomainError(ErrorKind.UnsupportedMediaType, "unsupported-media-type",
                "Send the body as JSON with 'Content-Type: application/json'."),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            new DomainError(ErrorKind.TooLarge, "body-too-large", "The request body is too large."),
        BadHttpRequestException bad => new DomainError(ErrorKind.Invalid, "bad-request", bad.Message),
        ConcurrencyException => DomainError.Conflict("concurrent-change",
            "The record was changed by another request at the same time; read it again and retry."),
        _ when exception is TimeoutException or MassTransit.RequestTimeoutException || Database(exception) is not null =>
            new DomainError(ErrorKind.Unavailable, "dependency-unavailable", "A dependency is unavailable; retry shortly."),
        _ => null,
    };

    // Marten throws Npgsql's exception as it is on some paths and wrapped (MartenCommandException) on others, e.g. queries.
    private static NpgsqlException? Database(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is NpgsqlException npgsql) return npgsql;
        return null;
    }

    /// <summary>Bodies once named who did a thing; the token says it now, and an old client is told so by name.</summary>
    private static readonly string[] RecorderFields = ["draftedBy", "approvedBy", "givenBy", "switchedBy", "recordedBy"];

    private static string? RecorderField(JsonException json) =>
        RecorderFields.FirstOrDefault(f => json.Message.Contains($"'{f}'", StringComparison.Ordinal));

    // System.Text.Json reports the JSON path of the offending value ("$.dateOfBirth").
    private static string FieldOf(JsonException json) =>
        string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');

    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
