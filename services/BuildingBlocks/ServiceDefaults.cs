using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Protocols;
using Recovery.BuildingBlocks.Telemetry;
using Recovery.BuildingBlocks.Time;

namespace Recovery.BuildingBlocks;

/// <summary>What every service is besides its own API: access control, errors, telemetry, health, API description.</summary>
public static class ServiceDefaults
{
    /// <summary>Clinical requests are small; a large body is a mistake or an attack.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        var services = builder.Services;

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString();
            // The framework's own refusals (no such route, a body that is not JSON) name a rule like every other.
            if (!c.ProblemDetails.Extensions.ContainsKey("rule") && FrameworkRule(c.ProblemDetails.Status) is var (rule, detail))
            {
                c.ProblemDetails.Extensions["rule"] = rule;
                c.ProblemDetails.Type = $"https://recovery-platform.example/problems/{rule}";
                c.ProblemDetails.Detail ??= detail;
            }
        });
        services.AddExceptionHandler<ExceptionProblems>();
        // Unreadable bodies throw, so the exception handler can name the offending field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            // One spelling everywhere: responses, requests and events all write "hepatitis-b", not "HepatitisB".
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower));
            o.SerializerOptions.Converters.Add(new StoredTextConverter());
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            // A number is a JSON number: "98" is refused (400 malformed-json), not coerced (the web defaults allow it).
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // One policy for "now" and "today": the service's clock (tests replace it) and each clinic's time zone.
        services.TryAddSingleton(TimeProvider.System);
        services.AddClinicProtocols<ClinicSettings>(ClinicSettings.Section);
        services.AddSingleton<ClinicClock>();
        services.AddSingleton<Corrections.FactCorrections>();

        services.AddOpenApi();
        builder.AddAccessControl();

        services.AddHealthChecks()
            .AddCheck<EventStoreHealthCheck>("postgresql", tags: ["ready"]);
        // MassTransit adds its bus check, tagged "ready", itself.

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(PlatformTelemetry.Name, "MassTransit", "Marten", "Npgsql"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PlatformTelemetry.Name, "MassTransit", "Marten"));
        // The standard OTEL_* variables configure the exporter; without an endpoint nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();

        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Kestrel enforces the limit while reading; this refuses a declared oversize body up front,
        // on any server (the in-memory test server has no limit of its own).
        app.Use((http, next) => http.Request.ContentLength > MaxRequestBodyBytes
            ? throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge)
            : next(http));
        app.UseStatusCodePages();
        // The API description's pages are served before authorization: its deny-by-default policy covers every request
        // that reaches it, endpoints or not, and /docs is open like /openapi/v1.json.
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", app.Environment.ApplicationName);
        });
        app.UseAuthentication();
        app.UseAuthorization();

        // Probes and the API description need no token; everything else does (Access: deny by default).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteHealth,
        }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static (string Rule, string Detail)? FrameworkRule(int? status) => status switch
    {
        StatusCodes.Status404NotFound => ("route-not-found", "No such route; the API is described at /docs."),
        StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "The route does not take this method; the API is described at /docs."),
        StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Send the body as JSON with 'Content-Type: application/json'."),
        _ => null,
    };

    // Operators see which dependency is down, not just a status code.
    private static Task WriteHealth(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }
}

/// <summary>Ready only when the service's PostgreSQL answers.</summary>
internal sealed class EventStoreHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var session = store.QuerySession();
            await session.AdvancedSql.QueryAsync<int>("select 1", ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            EventStoreSetup.ForgetIdleConnections(store);
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", ex);
        }
    }
}
