using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>Every command on a clinic's registration of a patient, one line each.</summary>
public static class RegistrationCommands
{
    public static void MapRegistrationCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<RegisteredPatient, RegistrationCare>(api, "registrationId", PatientRegistration.NotFound, r => r.PatientId,
                PatientRegistration.Evolve, RegistrationCare.Of, (r, _, _, personal) => RegistrationView.Of(r, personal), r => $"/patients/{r.PatientId}",
                holdsPersonalText: _ => true)
            .Start("/patients", "Register a patient at the caller's clinic",
                (RegisterPatientRequest r, CommandContext c) => r.Validate(c.Now, c.Service<BlindIndex>()),
                (cmd, c) => PatientRegistration.RegistrationIdOf(c.ClinicId, cmd.ClinicRecordNumber), PatientRegistration.Read,
                (read, cmd, c) => PatientRegistration.Decide(read, read.RegistrationId, cmd, c.Seal, c.ClinicId, c.Now),
                lostRace: PatientRegistration.Winner, sealsFor: cmd => cmd.PatientId, streamIdOfRead: read => read.RegistrationId)
            .On("/registrations/{registrationId}/entered-in-error", "Mark a registration entered in error (the wrong person was linked): it is unlinked everywhere",
                (EnterRegistrationInErrorRequest r, CommandContext c) => r.Validate(c.Now),
                (r, cmd, care, c) => RegistrationCorrection.Decide(r, cmd, care, c.Seal), seals: _ => true);
}
