extern alias assessment;
extern alias workstation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Recovery.Integration.Tests;

/// <summary>
/// A real deployment signs people in at the network's OpenID Connect provider (Auth:Authority). The services and the
/// workstation's gateway then accept that provider's access tokens, checked against its discovery document and the keys
/// its JWKS publishes over HTTP, and still the platform's own tokens (the demo's, the tests').
/// </summary>
[Collection(PlatformCollection.Name)]
public class IdentityProviderTests
{
    private const string ProviderAudience = "recovery-api";

    [Fact]
    public async Task With_an_authority_the_services_and_the_gateway_accept_the_providers_tokens_and_still_the_platforms_own()
    {
        await using var provider = await IdentityProvider.Start();
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = provider.Issuer, ["Auth:ProviderAudience"] = ProviderAudience,
            ["Auth:RequireHttpsMetadata"] = "false", ["Forwarder:Enabled"] = "false",
        };
        await using var service = new ServiceHost<assessment::Program>(settings);
        var api = service.CreateClient();
        var clinic = "oidc-" + Guid.NewGuid().ToString("N")[..8];

        // The provider's token: the patient is the token's clinic's, recorded by its user.
        var registered = await Send(api, HttpMethod.Post, "/patients", provider.Token(clinic, "clinician", "dr-ana"),
            Requests.Patient(Requests.NewRecordNumber()));
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var patientId = (await registered.Json())["patientId"]!.GetValue<Guid>();
        // The platform's own token still works beside it.
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Get, $"/patients/{patientId}", Platform.Token(clinic))).StatusCode);
        // Another clinic's provider token does not see the patient.
        Assert.Equal(HttpStatusCode.NotFound,
            (await Send(api, HttpMethod.Get, $"/patients/{patientId}", provider.Token("oidc-other", "clinician", "dr-rui"))).StatusCode);

        // Refused: a key the provider does not publish, a token for another audience, one from another issuer.
        await Refused(await Send(api, HttpMethod.Get, $"/patients/{patientId}", provider.Token(clinic, "clinician", "dr-ana", key: IdentityProvider.NewKey("k2"))),
            "token-signature-invalid");
        // A forged token naming the provider's own key id: refused all the same.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, HttpMethod.Get, $"/patients/{patientId}",
            provider.Token(clinic, "clinician", "dr-ana", key: IdentityProvider.NewKey("k1")))).StatusCode);
        await Refused(await Send(api, HttpMethod.Get, $"/patients/{patientId}", provider.Token(clinic, "clinician", "dr-ana", audience: "another-api")),
            "token-audience-invalid");
        await Refused(await Send(api, HttpMethod.Get, $"/patients/{patientId}", provider.Token(clinic, "clinician", "dr-ana", issuer: "http://127.0.0.1:1/elsewhere")),
            "token-issuer-invalid");

        // The gateway: no development sign-in, the sign-in page names the provider, and a provider's bearer token (as a
        // provider-facing proxy in front of the gateway sends it) is the session.
        var gatewaySettings = new Dictionary<string, string?>(settings);
        foreach (var (_, setting) in workstation::Recovery.Workstation.Gateway.Services) gatewaySettings[$"Services:{setting}"] = "http://127.0.0.1:9";
        await using var gateway = new ServiceHost<workstation::Program>(gatewaySettings);
        var browser = gateway.CreateClient();
        var signIn = await (await browser.GetAsync("/session/sign-in")).Json();
        Assert.False(signIn["developmentSignIn"]!.GetValue<bool>());
        Assert.Equal(provider.Issuer, signIn["identityProvider"]!.GetValue<string>());
        var session = await Send(browser, HttpMethod.Get, "/session", provider.Token(clinic, "counselor", "cs-marta"));
        Assert.True(session.StatusCode == HttpStatusCode.OK, await session.Content.ReadAsStringAsync());
        var who = await session.Json();
        Assert.Equal((clinic, "cs-marta", "counselor"), (who["clinic"]!.GetValue<string>(), who["user"]!.GetValue<string>(), who["role"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Send(browser, HttpMethod.Get, "/session", provider.Token(clinic, "counselor", "cs-marta", key: IdentityProvider.NewKey("k1")))).StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task Refused(HttpResponseMessage response, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401 {rule}, got {response.StatusCode}: {body}");
        Assert.Equal(rule, JsonNode.Parse(body)!["rule"]?.GetValue<string>());
    }
}

/// <summary>
/// A minimal OpenID Connect provider on a loopback port: its discovery document and its JWKS over real HTTP, and access
/// tokens signed with its RSA key (RS256), as an external provider issues them.
/// </summary>
internal sealed class IdentityProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RsaSecurityKey key = NewKey("k1");
    public string Issuer { get; private set; } = "";

    private IdentityProvider(WebApplication app) => this.app = app;

    public static RsaSecurityKey NewKey(string id) => new(RSA.Create(2048)) { KeyId = id };

    public static async Task<IdentityProvider> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var provider = new IdentityProvider(builder.Build());
        provider.app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer, ["jwks_uri"] = $"{provider.Issuer}/jwks",
            ["authorization_endpoint"] = $"{provider.Issuer}/authorize", ["token_endpoint"] = $"{provider.Issuer}/token",
            ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        provider.app.MapGet("/jwks", () =>
        {
            var parameters = provider.key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = provider.key.KeyId,
                    n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } },
            });
        });
        await provider.app.StartAsync();
        provider.Issuer = provider.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    /// <summary>An access token as the provider issues it; <paramref name="key"/>, audience or issuer changed to forge one.</summary>
    public string Token(string clinic, string role, string user, RsaSecurityKey? key = null, string audience = "recovery-api", string? issuer = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["clinic"] = clinic, ["role"] = role, ["sub"] = user },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key ?? this.key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
