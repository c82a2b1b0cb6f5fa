using Microsoft.AspNetCore.Authentication.JwtBearer;
using Recovery.BuildingBlocks.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Recovery.Workstation;

/// <summary>
/// One origin for a clinic's staff: the web application (wwwroot) and the five services' APIs under /api/{service}/...
/// The browser never holds the token: it lives in the session cookie, which the gateway turns into the Authorization
/// header when it forwards a call (and the cookie itself is not forwarded).
/// </summary>
public static class Gateway
{
    /// <summary>The services behind the gateway: the path segment under /api/ and the configuration key of each address.</summary>
    public static readonly IReadOnlyList<(string Segment, string Setting)> Services =
        [("assessment", "Assessment"), ("detox", "Detox"), ("counseling", "Counseling"), ("relapse", "Relapse"), ("timeline", "Timeline")];

    public static WebApplicationBuilder AddWorkstation(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // The session's token is checked as the services check theirs (Access.AddTokenValidation): the platform's own
        // tokens, and with Auth:Authority an external OpenID Connect provider's. It comes from the session cookie, or from
        // the Authorization header a provider-facing proxy in front of the gateway puts on each request.
        builder.AddTokenValidation();
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var header = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async context =>
            {
                await header(context);
                context.Token ??= Sessions.CookieToken(context.Request);
            };
        });
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddProblemDetails();

        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var (segment, setting) in Services)
        {
            var address = configuration[$"Services:{setting}"]
                ?? throw new InvalidOperationException($"Services:{setting} (the {segment} service's address) is not configured.");
            routes.Add(new RouteConfig
            {
                RouteId = segment,
                ClusterId = segment,
                Match = new RouteMatch { Path = $"/api/{segment}/{{**rest}}" },
                Transforms = [new Dictionary<string, string> { ["PathRemovePrefix"] = $"/api/{segment}" }],
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = segment,
                Destinations = new Dictionary<string, DestinationConfig> { [segment] = new() { Address = address } },
                // The services answer HTTP/1.1 on plain http; no upgrade negotiation.
                HttpRequest = new ForwarderRequestConfig { Version = new Version(1, 1), VersionPolicy = HttpVersionPolicy.RequestVersionExact },
            });
        }
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(context => context.AddRequestTransform(transform =>
            {
                // The session cookie stays at the gateway; the service sees only the bearer token it carries.
                transform.ProxyRequest.Headers.Remove("Cookie");
                // Without a session cookie, a bearer token the caller sent passes through as it came (the service checks it).
                if (Sessions.CookieToken(transform.HttpContext.Request) is { } token)
                    transform.ProxyRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                return ValueTask.CompletedTask;
            }));
        return builder;
    }

    public static WebApplication UseWorkstation(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Nothing is fetched from elsewhere: the pages may load scripts, styles and data from this origin only.
        app.Use((http, next) =>
        {
            http.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return next(http);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();

        app.MapSessionEndpoints();
        app.MapReverseProxy(proxy => proxy.Use(async (http, next) =>
        {
            await next();
            // A service that does not answer is a problem the page can show, not an empty 502.
            if (http.Features.Get<IForwarderErrorFeature>() is { } failure && !http.Response.HasStarted)
                await Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The service did not answer.",
                    detail: $"The {ServiceOf(http.Request.Path)} service did not answer ({failure.Error}). Try again shortly.",
                    type: "https://recovery-platform.example/problems/service-unavailable",
                    extensions: new Dictionary<string, object?> { ["rule"] = "service-unavailable" }).ExecuteAsync(http);
        }));
        app.MapFallback("/api/{**rest}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.",
            detail: $"No such service: the APIs are under /api/{string.Join(", /api/", Services.Select(s => s.Segment))}.",
            type: "https://recovery-platform.example/problems/route-not-found",
            extensions: new Dictionary<string, object?> { ["rule"] = "route-not-found" }));
        // The gateway holds no state of its own: live is ready (each service reports its own readiness).
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", () => Results.Ok(new { status = "ready" }));
        return app;
    }

    private static string ServiceOf(PathString path) =>
        path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "";
}
