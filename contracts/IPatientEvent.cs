namespace Recovery.Contracts;

/// <summary>
/// What every integration event about a patient carries, so any consumer can place it on the
/// patient's network record without knowing the event's type.
/// </summary>
public interface IPatientEvent
{
    /// <summary>The network-wide patient id (the same at every clinic).</summary>
    Guid PatientId { get; }

    /// <summary>The clinic whose staff recorded the fact.</summary>
    string ClinicId { get; }

    /// <summary>The treatment episode the fact belongs to (an episode starts with an assessment).</summary>
    Guid? EpisodeId { get; }

    /// <summary>When the fact was committed in the source service's event store.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>Who recorded the fact (null when the platform derived it); see <see cref="PatientEvent"/>.</summary>
    Recorder? RecordedBy { get; }

    /// <summary>When the fact happened clinically; see <see cref="PatientEvent"/>.</summary>
    DateTimeOffset? EffectiveAt { get; }

    /// <summary>When the fact was recorded at its source (the same instant as <see cref="OccurredAt"/>).</summary>
    DateTimeOffset? RecordedAt { get; }

    /// <summary>The message id of the fact this one amends (replaces with corrected values); null on a first recording.</summary>
    Guid? Amends { get; }
}

public static class PatientEventTimes
{
    /// <summary>When the fact happened clinically; for a fact published before clinical times were carried, when it was recorded.</summary>
    public static DateTimeOffset ClinicalTime(this IPatientEvent fact) => fact.EffectiveAt ?? fact.OccurredAt;
}
