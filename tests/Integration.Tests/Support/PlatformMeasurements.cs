using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Recovery.BuildingBlocks.Telemetry;

namespace Recovery.Integration.Tests;

/// <summary>
/// Every measurement of the platform's own meter (<see cref="PlatformTelemetry"/>) from the moment this is made: the
/// in-process hosts share the meter, so one listener hears them all.
/// </summary>
public sealed class PlatformMeasurements : IDisposable
{
    private readonly ConcurrentQueue<Measurement> _seen = new();
    private readonly MeterListener _listener = new()
    {
        InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == PlatformTelemetry.Name) l.EnableMeasurementEvents(instrument); },
    };

    public PlatformMeasurements()
    {
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    public sealed record Measurement(string Instrument, double Value, Dictionary<string, string?> Tags);

    public IEnumerable<Measurement> Seen => _seen;

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose <paramref name="tag"/> satisfies <paramref name="value"/>.</summary>
    public double Total(Instrument instrument, string tag, Func<string, bool> value) =>
        _seen.Where(m => m.Instrument == instrument.Name && m.Tags.TryGetValue(tag, out var v) && v is not null && value(v)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _seen.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
}
