using Recovery.Contracts;

namespace Recovery.Timeline.Recording;

/// <summary>Every integration event type about a patient in contracts/: the timeline records them all.</summary>
public static class PatientEvents
{
    public static readonly IReadOnlyList<Type> All = typeof(IPatientEvent).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPatientEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();
}
