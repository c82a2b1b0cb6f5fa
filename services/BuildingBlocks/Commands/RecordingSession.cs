using System.Diagnostics;
using JasperFx.Events;
using Marten;
using JasperFx.MultiTenancy;
using Recovery.Contracts;

namespace Recovery.BuildingBlocks.Commands;

/// <summary>
/// The one place a session that appends events is opened: in the clinic's tenant, with the current trace and the
/// recorder as event headers, so the forwarder continues the trace on the bus and names who recorded each fact.
/// </summary>
public static class RecordingSession
{
    public const string TraceHeader = "traceparent";
    public const string RecorderHeader = "recorded-by";
    public const string RecorderRoleHeader = "recorder-role";

    public static IDocumentSession Open(IDocumentStore store, string? clinicId, Recorder? by = null)
    {
        // The care services keep each clinic as a tenant; the Timeline's network record has none.
        var session = clinicId is null || store.Options.Events.TenancyStyle != TenancyStyle.Conjoined
            ? store.LightweightSession()
            : store.LightweightSession(clinicId);
        if (Activity.Current is { } activity)
        {
            session.SetHeader(TraceHeader, activity.Id!);
            session.CorrelationId = activity.TraceId.ToString();
        }
        if (by is not null)
        {
            session.SetHeader(RecorderHeader, by.UserId);
            session.SetHeader(RecorderRoleHeader, by.Role);
        }
        return session;
    }

    /// <summary>The trace an event was appended in, to continue it on the bus.</summary>
    public static ActivityContext TraceOf(IEvent e) =>
        Header(e, TraceHeader) is { } text && ActivityContext.TryParse(text, null, out var context) ? context : default;

    /// <summary>Who recorded an event; null for an event the platform appended itself (a consumer's derived fact).</summary>
    public static Recorder? RecorderOf(IEvent e) =>
        Header(e, RecorderHeader) is { } user ? new Recorder(user, Header(e, RecorderRoleHeader) ?? "unknown") : null;

    private static string? Header(IEvent e, string name) =>
        e.Headers is not null && e.Headers.TryGetValue(name, out var value) ? value?.ToString() : null;
}
