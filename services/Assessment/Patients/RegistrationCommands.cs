using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>Every command on a clinic's registration of a patient, one line each.</summary>
public static class RegistrationCommands
{
    public static void MapRegistrationCommands(this IEndpointRouteBuilder api) =>
        new CommandTable<RegisteredPatient, NoNeeds>(api, "registrationId", PatientRegistration.NotFound, r => r.PatientId,
                PatientRegistration.Evolve, NoNeeds.Of, (r, _, _, personal) => RegistrationView.Of(r, personal), r => $"/patients/{r.PatientId}",
                holdsPersonalText: _ => true)
            .Start("/patients", "Register a patient at the caller's clinic",
                (RegisterPatientRequest r, CommandContext c) => r.Validate(c.Now, c.Service<BlindIndex>()),
                (cmd, c) => PatientRegistration.RegistrationIdOf(c.ClinicId, cmd.ClinicRecordNumber), PatientRegistration.Read,
                (read, cmd, c) => PatientRegistration.Decide(read, PatientRegistration.RegistrationIdOf(c.ClinicId, cmd.ClinicRecordNumber), cmd, c.Seal,
                    c.ClinicId, c.Now),
                lostRace: PatientRegistration.Winner, sealsFor: cmd => cmd.PatientId);
}
