using Recovery.Assessment.Episodes;
using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Domain;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class RegistrationAndStartTests
{
    private static readonly RegisterPatient Register = new("MRN-1", "Ana", "Silva", new DateOnly(1990, 4, 1), Sex.Female, null, PatientId, Now);

    [Fact]
    public void Registers_a_new_clinic_record()
    {
        var decision = PatientRegistration.Decide(null, Guid.Empty, Register);
        var registered = Assert.IsType<PatientRegistered>(Assert.Single(decision.Events));
        Assert.Equal(PatientId, registered.PatientId);
        Assert.Equal("MRN-1", registered.ClinicRecordNumber);
    }

    [Fact]
    public void The_same_clinic_record_number_twice_is_a_conflict_naming_the_existing_patient()
    {
        var existing = RegisteredPatient.From(new PatientRegistered(Guid.NewGuid(), PatientId, "MRN-1", "Ana", "Silva",
            new DateOnly(1990, 4, 1), Sex.Female, null, Now));
        var decision = PatientRegistration.Decide(existing, existing.Id, Register with { PatientId = Guid.NewGuid() });
        Assert.Equal(ErrorKind.Conflict, decision.Error!.Kind);
        Assert.Equal(PatientId, decision.Error.Values!["patientId"]);
    }

    [Fact]
    public void A_registration_id_is_per_clinic_and_record_number()
    {
        Assert.Equal(PatientRegistration.RegistrationIdOf("north", "MRN-1"), PatientRegistration.RegistrationIdOf("north", "MRN-1"));
        Assert.NotEqual(PatientRegistration.RegistrationIdOf("north", "MRN-1"), PatientRegistration.RegistrationIdOf("south", "MRN-1"));
        Assert.NotEqual(PatientRegistration.RegistrationIdOf("north", "MRN-1"), PatientRegistration.RegistrationIdOf("north", "MRN-2"));
    }

    [Theory]
    [InlineData(null, "Silva", "1990-04-01", "female", "givenName")]
    [InlineData("Ana", "Silva", null, "female", "dateOfBirth")]
    [InlineData("Ana", "Silva", "2027-01-01", "female", "dateOfBirth")]
    [InlineData("Ana", "Silva", "1990-04-01", "robot", "sex")]
    public void Registration_requests_name_the_bad_field(string? given, string? family, string? dob, string? sex, string field)
    {
        var request = new RegisterPatientRequest("MRN-9", given, family, dob is null ? null : DateOnly.Parse(dob), sex, null, null);
        Assert.Contains(field, request.Validate(Now).Error!.Errors!.Keys);
    }

    [Fact]
    public void An_assessment_starts_only_for_a_patient_registered_here()
    {
        var decision = AssessmentStart.Decide(null, null, new StartAssessment(PatientId, AssessmentId, Now));
        Assert.Equal(ErrorKind.NotFound, decision.Error!.Kind);
    }

    [Fact]
    public void A_second_assessment_waits_until_the_open_one_is_completed()
    {
        var patient = RegisteredPatient.From(new PatientRegistered(Guid.NewGuid(), PatientId, "MRN-1", "Ana", "Silva",
            new DateOnly(1990, 4, 1), Sex.Female, null, Now));
        var open = AssessmentEvolution.Fold([Started]);
        var decision = AssessmentStart.Decide(patient, open, new StartAssessment(PatientId, Guid.NewGuid(), Now));
        Assert.Equal("assessment-in-progress", decision.Error!.Rule);

        var started = AssessmentStart.Decide(patient, null, new StartAssessment(PatientId, AssessmentId, Now));
        Assert.Equal(new AssessmentStarted(AssessmentId, PatientId, Now), Assert.Single(started.Events));
    }
}
