// Corrections of recorded facts, version 1: published by the service that recorded the fact.
// JSON bodies and their exchanges are documented in docs/events.md ("Corrections").
namespace Recovery.Contracts.Corrections.V1;

/// <summary>
/// A fact was marked entered in error by its clinic: treat the message whose messageId is
/// <see cref="EnteredInErrorEventId"/> as if it had never been recorded. The reason stays (sealed) in the service.
/// Kind: the kebab name of the corrected fact's contract, e.g. dose-given.
/// </summary>
public sealed record FactEnteredInError(
    Guid PatientId,
    string ClinicId,
    Guid? EpisodeId,
    DateTimeOffset OccurredAt,
    Guid EnteredInErrorEventId,
    string Kind) : PatientEvent, IPatientEvent;
