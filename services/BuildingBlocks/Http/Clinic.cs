using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.BuildingBlocks.Http;

/// <summary>
/// The clinic a request acts for. Each clinic is a Marten tenant in the care services, so every
/// session a request opens is confined to its clinic's records. The clinic is read here and only
/// here (today from the X-Clinic-Id header; the sharing work moves it to a token claim).
/// </summary>
public static partial class Clinic
{
    public const string Header = "X-Clinic-Id";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex ClinicIdFormat();

    public static bool IsValidId(string? clinicId) => clinicId is not null && ClinicIdFormat().IsMatch(clinicId);

    /// <summary>
    /// The clinic of the current request, or null when it names none (or none valid). Read from the request
    /// itself, because sessions are opened while parameters bind, before endpoint filters run.
    /// </summary>
    public static string? Of(HttpContext? http) =>
        http?.Request.Headers[Header].ToString() is { } clinicId && IsValidId(clinicId) ? clinicId : null;

    /// <summary>Every endpoint of the group acts for one clinic; a request without a valid clinic gets a 400.</summary>
    public static TBuilder RequireClinic<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var clinicId = http.Request.Headers[Header].ToString();
            if (string.IsNullOrEmpty(clinicId))
                return Problems.From(DomainError.Invalid(Header, "clinic-required", $"The {Header} header is required."));
            if (!IsValidId(clinicId))
                return Problems.From(DomainError.Invalid(Header, "clinic-id-format",
                    $"The {Header} header must be 2-63 lower-case letters, digits or hyphens."));
            return await next(context);
        });
        return builder;
    }
}
