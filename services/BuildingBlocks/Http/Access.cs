using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.BuildingBlocks.Http;

/// <summary>The roles a token can carry, in the clinic's words.</summary>
public static class Roles
{
    public const string Clinician = "clinician";
    public const string Counselor = "counselor";
    public const string Analyst = "analyst";
    public const string Integrator = "integrator";
    public const string Admin = "admin";

    /// <summary>Speaks for the network (its privacy office): erases a person at every clinic and reads the patient's full
    /// accounting of disclosures. No token has it unless the identity provider grants it.</summary>
    public const string NetworkAdmin = "network-admin";

    public static readonly IReadOnlyList<string> All = [Clinician, Counselor, Analyst, Integrator, Admin, NetworkAdmin];
}

/// <summary>Where tokens come from and how they are checked: configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public string Issuer { get; set; } = "";
    public string Audience { get; set; } = "";

    /// <summary>Base64 HMAC-SHA256 key, at least 32 bytes: the platform's own tokens (deploy/token.sh, the demo, the tests,
    /// the workstation's development sign-in) are signed with it.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// An external OpenID Connect provider's issuer URL (Auth:Authority), for real deployments. Set, the services also accept
    /// that provider's access tokens: its issuer, its signing keys from the JWKS its discovery document names, and the
    /// audience <see cref="ProviderAudience"/>. Empty, only the platform's own tokens are accepted.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience the provider puts in access tokens meant for this platform; defaults to <see cref="Audience"/>.</summary>
    public string ProviderAudience { get; set; } = "";

    /// <summary>The provider's discovery document must come over HTTPS; off only for a provider on loopback (tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public SymmetricSecurityKey Key()
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(SigningKey); }
        catch (FormatException) { throw new InvalidOperationException("Auth:SigningKey must be base64."); }
        if (bytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64); see deploy/environment.sh.");
        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>For tools outside a service (demo, benchmarks): the Auth__* variables deploy/environment.sh exports.</summary>
    public static AuthOptions FromEnvironment() => From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public static AuthOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience) || string.IsNullOrWhiteSpace(options.SigningKey))
            throw new InvalidOperationException("Auth:Issuer, Auth:Audience and Auth:SigningKey must be configured (deploy/environment.sh sets them).");
        return options;
    }
}

/// <summary>
/// Who is calling: every API except health and the API description needs a JWT bearer token naming the caller's
/// clinic, role and user. Refusals are problem details like every other error.
/// </summary>
public static class Access
{
    public const string ClinicClaim = "clinic";
    public const string RoleClaim = "role";
    public const string UserClaim = "sub";

    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        builder.AddTokenValidation();
        // Deny by default: an endpoint that forgets to say who may call it is closed, not open.
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// How a bearer token is checked, in one place for the services and the workstation's gateway: the platform's own
    /// HS256 tokens always; with Auth:Authority also the external OpenID Connect provider's tokens (the JWT bearer handler
    /// reads the provider's discovery document and adds its issuer and signing keys to these parameters).
    /// </summary>
    public static WebApplicationBuilder AddTokenValidation(this WebApplicationBuilder builder)
    {
        var options = AuthOptions.From(builder.Configuration);
        var signingKey = options.Key(); // a bad key stops the service at start, not at its first request
        var provider = !string.IsNullOrWhiteSpace(options.Authority);
        builder.Services.AddSingleton(options);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false; // keep "sub", "role", "clinic" as they are
            if (provider)
            {
                jwt.Authority = options.Authority;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudiences = provider && !string.IsNullOrWhiteSpace(options.ProviderAudience)
                    ? [options.Audience, options.ProviderAudience] : [options.Audience],
                IssuerSigningKey = signingKey,
                // A provider signs with its own asymmetric keys; an HS256 token is only ever checked against the platform's key.
                ValidAlgorithms = provider
                    ? [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256]
                    : [SecurityAlgorithms.HmacSha256],
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = RoleClaim,
                NameClaimType = UserClaim,
            };
            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Write(context.HttpContext, new DomainError(ErrorKind.Unauthenticated, ChallengeRule(context), ChallengeMessage(context)));
                },
                OnForbidden = context => Write(context.HttpContext, new DomainError(ErrorKind.Forbidden, "role-not-allowed",
                    $"The role '{context.HttpContext.User.FindFirst(RoleClaim)?.Value}' may not use this endpoint.")),
            };
        });
        return builder;
    }

    /// <summary>Only callers with one of <paramref name="roles"/> may use the endpoints.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(roles));

    /// <summary>The user named by the caller's token ("sub"), for records of who did what.</summary>
    public static string UserOf(HttpContext http) => http.User.FindFirst(UserClaim)?.Value ?? "unknown";

    public static string? RoleOf(HttpContext http) => http.User.FindFirst(RoleClaim)?.Value;

    private static string ChallengeRule(JwtBearerChallengeContext context) => context.AuthenticateFailure switch
    {
        null => "token-required",
        SecurityTokenExpiredException => "token-expired",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "token-signature-invalid",
        SecurityTokenInvalidAudienceException => "token-audience-invalid",
        SecurityTokenInvalidIssuerException => "token-issuer-invalid",
        _ => "token-invalid",
    };

    private static string ChallengeMessage(JwtBearerChallengeContext context) => context.AuthenticateFailure switch
    {
        null => "Send 'Authorization: Bearer <token>'; deploy/token.sh prints one for a clinic and role.",
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token is not signed by the network's key.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this platform (audience).",
        SecurityTokenInvalidIssuerException => "The token was not issued by the network's identity provider.",
        _ => "The token could not be validated.",
    };

    private static async Task Write(HttpContext http, DomainError error)
    {
        if (http.Response.HasStarted) return;
        var details = Problems.ToDetails(error);
        http.Response.StatusCode = details.Status!.Value;
        await Results.Problem(details).ExecuteAsync(http);
    }
}

/// <summary>
/// Issues tokens as the network's identity provider would: used by deploy/token.sh, the demo network and the tests.
/// A real deployment issues them from its own identity provider with the same claims.
/// </summary>
public sealed class AccessTokens(AuthOptions options)
{
    public string Issue(string? clinic, string role, string user, TimeSpan? lifetime = null, DateTime? now = null)
    {
        var claims = new Dictionary<string, object> { [Access.RoleClaim] = role, [Access.UserClaim] = user };
        if (clinic is not null) claims[Access.ClinicClaim] = clinic;
        var issuedAt = now ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(options.Key(), SecurityAlgorithms.HmacSha256),
        });
    }
}
