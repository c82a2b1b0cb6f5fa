using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Recovery.BuildingBlocks.Protocols;

/// <summary>
/// A clinic's protocol settings (thresholds of clinical rules): the platform's defaults, then
/// "{Section}:Default" from configuration, then "{Section}:Clinics:{clinicId}" for that clinic.
/// </summary>
public sealed class ClinicProtocols<T>(IConfiguration configuration, string section) where T : class, new()
{
    public string Section => section;

    public T For(string clinicId)
    {
        var protocol = new T();
        configuration.GetSection($"{section}:Default").Bind(protocol);
        configuration.GetSection($"{section}:Clinics:{clinicId}").Bind(protocol);
        return protocol;
    }
}

public static class ClinicProtocolSetup
{
    /// <summary>Registers <see cref="ClinicProtocols{T}"/> read from configuration section <paramref name="section"/>.</summary>
    public static IServiceCollection AddClinicProtocols<T>(this IServiceCollection services, string section) where T : class, new() =>
        services.AddSingleton(sp => new ClinicProtocols<T>(sp.GetRequiredService<IConfiguration>(), section));
}
