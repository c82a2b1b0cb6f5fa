using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Timeline.Sharing;

namespace Recovery.Timeline.Erasure;

/// <summary>
/// The person asked to be forgotten. Published as PatientErased: every service deletes the patient's personal-data key,
/// so their events stay (the clinical record, the disclosures) and the person's name, birth date, contact and notes are gone.
/// </summary>
public sealed record PatientErasureRequested(Guid ErasureId, Guid PatientId, string ClinicId, DateTimeOffset RequestedAt, string RequestedBy);

public static class PatientErasure
{
    /// <summary>An administrator of a clinic that treats the patient asks for the erasure, network-wide.</summary>
    public static Decision Decide(bool clinicTreatsPatient, Guid erasureId, Guid patientId, string clinic, string user, DateTimeOffset now) =>
        clinicTreatsPatient
            ? Decision.Accept(new PatientErasureRequested(erasureId, patientId, clinic, now, user))
            : NetworkRecord.NoRecordsAt(clinic, patientId);
}
