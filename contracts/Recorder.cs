namespace Recovery.Contracts;

/// <summary>
/// Who recorded a fact: the authenticated user (the token's "sub") and the role they acted in.
/// Role: clinician, counselor, admin.
/// </summary>
public sealed record Recorder(string UserId, string Role);

/// <summary>
/// The base of every integration event about a patient: what the platform stamps on each fact as it is published.
/// </summary>
public abstract record PatientEvent
{
    /// <summary>
    /// Who recorded the fact. Null on facts the platform derived itself rather than a person recorded (a relapse detected
    /// by the clinic's rule, a monitoring started by a detox ending) and on facts published before recorders were carried.
    /// </summary>
    public Recorder? RecordedBy { get; init; }

    /// <summary>
    /// When the fact happened clinically: the dose's time, the screen's collection, the session's time, the test date (a
    /// fact known only by its date: the start of that day at the clinic). Null only on facts published before 1.2.
    /// </summary>
    public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>When the fact was recorded (committed at its source): the same instant as OccurredAt, under its 1.2 name.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>
    /// Set on an amendment: this fact, with its corrected values, replaces the fact published with this message id.
    /// Null on every first recording.
    /// </summary>
    public Guid? Amends { get; init; }
}
