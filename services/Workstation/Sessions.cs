using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Workstation;

/// <summary>
/// The signed-in user's session: the platform's bearer token in an HttpOnly, SameSite=Strict cookie. Scripts cannot
/// read it, no other site's page can send it, and it never appears in a URL. The gateway checks it as the services do.
/// </summary>
public sealed partial class Sessions(AuthOptions auth, IConfiguration configuration, TimeProvider? clock = null)
{
    public const string Cookie = "workstation-session";

    /// <summary>Workstation:DevelopmentSignIn: the sign-in page issues tokens for any clinic, user and role. Local deployments only.</summary>
    public bool DevelopmentSignIn => configuration.GetValue("Workstation:DevelopmentSignIn", false);

    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public static string? CookieToken(HttpRequest request) => request.Cookies.TryGetValue(Cookie, out var token) && token.Length > 0 ? token : null;

    /// <summary>Who the session's token names (from the cookie, or a provider's bearer token), when it is valid and unexpired.</summary>
    public async Task<SessionView?> Read(HttpContext http)
    {
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } user) return null;
        string? Claim(string type) => user.FindFirst(type)?.Value;
        var expires = long.TryParse(Claim("exp"), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : clock.GetUtcNow();
        return new SessionView(Claim(Access.ClinicClaim), Claim(Access.UserClaim) ?? "", Claim(Access.RoleClaim) ?? "", expires, DevelopmentSignIn);
    }

    /// <summary>The development sign-in: checks the choice, issues the platform's token and keeps it in the cookie.</summary>
    public IResult SignIn(HttpContext http, SignInRequest request)
    {
        if (!DevelopmentSignIn)
            return Refusal(StatusCodes.Status404NotFound, "development-sign-in-off",
                "The development sign-in is off here (Workstation:DevelopmentSignIn); sign in through the network's identity provider.");
        var errors = new Dictionary<string, string[]>();
        var role = request.Role?.Trim() ?? "";
        if (!Roles.All.Contains(role)) errors["role"] = [$"one of {string.Join(", ", Roles.All)}"];
        var clinic = string.IsNullOrWhiteSpace(request.Clinic) ? null : request.Clinic.Trim();
        if (role == Roles.Analyst) clinic = null; // analysts act for no clinic
        else if (clinic is null) errors["clinic"] = ["required for this role"];
        else if (!ClinicId().IsMatch(clinic)) errors["clinic"] = ["2-63 lower-case letters, digits and hyphens, e.g. clinic-porto"];
        var user = request.User?.Trim() ?? "";
        if (user.Length is 0 or > 64) errors["user"] = ["required, at most 64 characters"];
        if (errors.Count > 0)
            return Results.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest, Title = "The request is not valid.",
                Detail = string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")),
                Type = "https://recovery-platform.example/problems/request-invalid", Extensions = { ["rule"] = "request-invalid" },
            });

        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromHours(8);
        var token = new AccessTokens(auth).Issue(clinic, role, user, lifetime, now.UtcDateTime);
        http.Response.Cookies.Append(Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            Expires = now + lifetime,
        });
        return Results.Ok(new SessionView(clinic, user, role, now + lifetime, true));
    }

    public static IResult SignOut(HttpContext http)
    {
        http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.NoContent();
    }

    public static IResult Refusal(int status, string rule, string detail) => Results.Problem(statusCode: status, detail: detail,
        title: status == 401 ? "Not signed in." : "Not available.", type: $"https://recovery-platform.example/problems/{rule}",
        extensions: new Dictionary<string, object?> { ["rule"] = rule });

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex ClinicId();
}

public sealed record SignInRequest(string? Clinic, string? User, string? Role);

public sealed record SessionView(string? Clinic, string User, string Role, DateTimeOffset ExpiresAt, bool DevelopmentSignIn);

public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this WebApplication app)
    {
        // Who is signed in (the page's header), and whether the development sign-in is on (the sign-in page says so).
        app.MapGet("/session", async (HttpContext http, Sessions sessions) =>
            await sessions.Read(http) is { } session
                ? Results.Ok(session)
                : Sessions.Refusal(StatusCodes.Status401Unauthorized, "signed-out",
                    sessions.DevelopmentSignIn ? "Not signed in: sign in at /signin.html." : "Not signed in."));
        app.MapGet("/session/sign-in", (Sessions sessions, AuthOptions auth) => Results.Ok(new
        {
            developmentSignIn = sessions.DevelopmentSignIn,
            identityProvider = string.IsNullOrWhiteSpace(auth.Authority) ? null : auth.Authority,
        }));
        app.MapPost("/session", (HttpContext http, Sessions sessions, SignInRequest request) => sessions.SignIn(http, request));
        app.MapDelete("/session", (HttpContext http) => Sessions.SignOut(http));
    }
}
