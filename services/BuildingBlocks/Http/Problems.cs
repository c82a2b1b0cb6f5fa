using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.BuildingBlocks.Http;

/// <summary>RFC 7807 problem details for every refusal, built in one place.</summary>
public static class Problems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static IResult From(DomainError error) => Results.Problem(ToDetails(error));

    public static ProblemDetails ToDetails(DomainError error)
    {
        var details = error.Errors is { Count: > 0 }
            ? new ValidationProblemDetails(error.Errors.ToDictionary(kv => kv.Key, kv => kv.Value))
            : new ProblemDetails();
        details.Status = StatusOf(error.Kind);
        details.Title = TitleOf(error.Kind);
        details.Detail = error.Message;
        details.Type = $"https://recovery-platform.example/problems/{error.Rule}";
        details.Extensions["rule"] = error.Rule;
        if (error.Values is { Count: > 0 }) details.Extensions["values"] = error.Values;
        return details;
    }

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "The request conflicts with the record's current state.",
        ErrorKind.Unavailable => "The service cannot reach a dependency.",
        ErrorKind.TooLarge => "The request is too large.",
        ErrorKind.Unauthenticated => "A valid bearer token is required.",
        ErrorKind.Forbidden => "The caller may not do this.",
        ErrorKind.UnsupportedMediaType => "The request body must be JSON.",
        _ => "The request breaks a clinical or business rule.",
    };
}
