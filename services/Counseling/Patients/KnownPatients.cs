using Marten;
using Recovery.BuildingBlocks.Domain;

namespace Recovery.Counseling.Patients;

/// <summary>
/// A patient's registration at this clinic, as Assessment announced it. Counseling keeps no name or
/// contact: it needs only to know that the clinic registered the patient.
/// </summary>
public sealed record RegisteredPatient
{
    /// <summary>The registration id (one per clinic record number).</summary>
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }

    /// <summary>The registration was entered in error (a wrong link): it registers nobody. Kept, so a late copy of the
    /// registration does not bring it back.</summary>
    public bool EnteredInError { get; init; }
}

/// <summary>A treatment episode of a patient at this clinic: it starts with an assessment and has that assessment's id.</summary>
public sealed record TreatmentEpisode
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}

/// <summary>What a command needs to know of a patient here: that the clinic registered them, and their current episode.</summary>
public sealed record ClinicPatient(Guid PatientId, Guid? CurrentEpisodeId);

public static class KnownPatients
{
    /// <summary>The patient as registered at the session's clinic, or null when this clinic has not registered them.</summary>
    public static async Task<ClinicPatient?> Find(IQuerySession session, Guid patientId, CancellationToken ct) =>
        await session.Query<RegisteredPatient>().AnyAsync(p => p.PatientId == patientId && !p.EnteredInError, ct)
            ? new ClinicPatient(patientId, await CurrentEpisodeOf(session, patientId, ct))
            : null;

    /// <summary>The episode of the latest assessment started at this clinic; null before the first one.</summary>
    public static async Task<Guid?> CurrentEpisodeOf(IQuerySession session, Guid patientId, CancellationToken ct)
    {
        var latest = await session.Query<TreatmentEpisode>().Where(e => e.PatientId == patientId)
            .OrderByDescending(e => e.StartedAt).FirstOrDefaultAsync(ct);
        return latest?.Id;
    }

    public static DomainError NotRegistered(Guid patientId) =>
        DomainError.NotFound("patient-not-registered", $"Patient {patientId} is not registered at this clinic.");
}
