using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Time;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Commands;

/// <summary>
/// What a command's validation and decision may know besides the request and the stream's state: the clinic, who is
/// recording (from the token, never from the body), now and today at the clinic, and the sealer of the patient's key
/// when the command carries personal text.
/// </summary>
public sealed class CommandContext
{
    private readonly HttpContext _http;

    internal CommandContext(HttpContext http, string clinicId, Recorder by, ClinicNow now)
    {
        _http = http;
        ClinicId = clinicId;
        By = by;
        Now = now;
    }

    public string ClinicId { get; }

    /// <summary>The authenticated user and role recording the fact.</summary>
    public Recorder By { get; }

    public ClinicNow Now { get; }

    public DateOnly Today => Now.Today;

    /// <summary>Seals personal text with the patient's key; set only on lines that say their command seals text.</summary>
    public Sealer Seal { get; internal set; } = PersonalDataVault.NothingToSeal;

    /// <summary>The session of the current attempt, for the look-ups a decision needs (reads only: the pipeline writes).</summary>
    public IDocumentSession Session { get; internal set; } = null!;

    public CancellationToken Cancellation => _http.RequestAborted;

    /// <summary>A route value other than the stream's id (e.g. a meeting's date).</summary>
    public string? Route(string name) => _http.Request.RouteValues[name]?.ToString();

    /// <summary>A route value that must be a GUID (e.g. the patient a new stream is for).</summary>
    public Validated<Guid> RouteId(string name) =>
        Guid.TryParse(Route(name), out var id) ? id : DomainError.Invalid(name, "request-invalid", $"{name} must be a GUID");

    public T Service<T>() where T : notnull => _http.RequestServices.GetRequiredService<T>();

    /// <summary>The recorder of the current request: the token's "sub" and "role".</summary>
    public static Recorder RecorderOf(HttpContext http) => new(Access.UserOf(http), Access.RoleOf(http) ?? "unknown");
}
