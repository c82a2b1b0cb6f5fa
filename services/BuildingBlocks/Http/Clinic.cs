using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.BuildingBlocks.Http;

/// <summary>
/// The clinic a request acts for, read from the caller's token and nowhere else: no URL or body can name another
/// clinic. Each clinic is a Marten tenant in the care services, so every session a request opens is confined to
/// its clinic's records.
/// </summary>
public static partial class Clinic
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex ClinicIdFormat();

    public static bool IsValidId(string? clinicId) => clinicId is not null && ClinicIdFormat().IsMatch(clinicId);

    /// <summary>
    /// The clinic of the current request, or null when its token names none (or none valid). Read from the request
    /// itself, because sessions are opened while parameters bind, before endpoint filters run.
    /// </summary>
    public static string? Of(HttpContext? http) => Of(http?.User);

    public static string? Of(ClaimsPrincipal? user) =>
        user?.FindFirst(Access.ClinicClaim)?.Value is { } clinicId && IsValidId(clinicId) ? clinicId : null;

    /// <summary>
    /// Every endpoint of the group acts for the caller's clinic and needs one of <paramref name="roles"/>:
    /// no valid token 401; another role, or a token naming no valid clinic, 403.
    /// </summary>
    public static TBuilder RequireClinic<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireRoles(roles);
        builder.AddEndpointFilter(async (context, next) =>
            Of(context.HttpContext) is null
                ? Problems.From(new DomainError(ErrorKind.Forbidden, "clinic-claim-required",
                    $"The token must name the caller's clinic in its '{Access.ClinicClaim}' claim (2-63 lower-case letters, digits or hyphens)."))
                : await next(context));
        return builder;
    }
}
