using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Contracts;
using Recovery.Timeline.Sharing;
using V1 = Recovery.Contracts.Sharing.V1;

namespace Recovery.Timeline.Erasure;

/// <summary>
/// The person asked to be forgotten. Published as PatientErased: every service deletes the keys of the personal data in
/// <see cref="Scope"/> ("clinic": what <see cref="ClinicId"/> holds; "network": every clinic's), so the events stay (the
/// clinical record, the disclosures) and the person's name, birth date, contact and notes are gone. Requests recorded
/// before scopes existed have none and were network-wide.
/// </summary>
public sealed record PatientErasureRequested(Guid ErasureId, Guid PatientId, string ClinicId, DateTimeOffset RequestedAt, string RequestedBy,
    string? Scope = null);

public static class PatientErasure
{
    /// <summary>Whether the requesting clinic treats the patient, and whether the network knows them at all.</summary>
    public sealed record Known(bool AtClinic, bool InNetwork);

    /// <summary>
    /// A clinic's administrator erases what that clinic holds of a patient it treats. Only the network administrator
    /// (<see cref="Roles.NetworkAdmin"/>) erases the person at every clinic: a clinic that merely registered the person
    /// must not be able to shred another clinic's records of them.
    /// </summary>
    public static Decision Decide(Known known, Guid erasureId, Guid patientId, string clinic, Recorder by, DateTimeOffset now) =>
        by.Role == Roles.NetworkAdmin
            ? known.InNetwork
                ? Decision.Accept(new PatientErasureRequested(erasureId, patientId, clinic, now, by.UserId, V1.PatientErased.NetworkScope))
                : DomainError.NotFound("patient-not-found", $"The network has no record of patient {patientId}.")
            : known.AtClinic
                ? Decision.Accept(new PatientErasureRequested(erasureId, patientId, clinic, now, by.UserId, V1.PatientErased.ClinicScope))
                : NetworkRecord.NoRecordsAt(clinic, patientId);
}
