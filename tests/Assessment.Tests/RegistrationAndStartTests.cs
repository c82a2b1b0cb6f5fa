using System.Text.Json;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

public class RegistrationAndStartTests
{
    private static readonly RegisterPatient Register = new("MRN-1", "Ana", "Silva", new DateOnly(1990, 4, 1), Sex.Female, null, PatientId, Now,
        IdentityKeys.Of(IdentityTests.Index, "Ana", "Silva", new DateOnly(1990, 4, 1)));

    private static Decision Decide(RegisteredPatient? existing, RegisterPatient command, Sealer seal) =>
        PatientRegistration.Decide(new RegistrationRead(existing, [], null), existing?.Id ?? Guid.Empty, command, seal, "north", Now);

    private static readonly ContactDetails Contact = new("+351 210 000 001", "ana.silva@example.org", "Rua das Flores 12, Porto");

    [Fact]
    public void Registers_a_new_clinic_record()
    {
        var decision = Decide(null, Register, Sealing.Fake);
        var registered = Assert.IsType<PatientRegistered>(Assert.Single(decision.Events));
        Assert.Equal(PatientId, registered.PatientId);
        Assert.Equal("MRN-1", registered.ClinicRecordNumber);
        Assert.Equal(1990, registered.BirthYear);
    }

    [Fact]
    public void The_registration_holds_name_birth_date_and_contact_only_sealed_with_the_patients_key()
    {
        var key = PatientKey.New(PatientId);
        var decision = Decide(null, Register with { Contact = Contact }, key.Seal);
        var registered = Assert.IsType<PatientRegistered>(Assert.Single(decision.Events));

        var stored = JsonSerializer.Serialize(registered);
        foreach (var personal in new[] { "Ana", "Silva", "1990-04-01", "210 000 001", "ana.silva", "Flores" })
            Assert.DoesNotContain(personal, stored);
        var opened = new PersonalDataReader(key).Open<PersonalData>(registered.PersonalData);
        Assert.Equal(("Ana", "Silva", new DateOnly(1990, 4, 1), Contact), (opened!.GivenName, opened.FamilyName, opened.DateOfBirth, opened.Contact));
    }

    [Fact]
    public void After_erasure_a_registration_shows_no_personal_data_and_says_so()
    {
        var registered = RegisteredPatient.From((PatientRegistered)Decide(null, Register,
            PatientKey.New(PatientId).Seal).Events[0]);
        var erased = new PersonalDataReader(null);
        var view = RegistrationView.Of(registered, erased.Open<PersonalData>(registered.PersonalData), erased.Erased);
        Assert.Equal((null, null, null, null, true), (view.GivenName, view.FamilyName, view.DateOfBirth, view.Contact, view.PersonalDataErased));
        Assert.Equal(("MRN-1", Sex.Female, 1990), (view.ClinicRecordNumber, view.Sex, view.BirthYear));
    }

    [Fact]
    public void The_same_clinic_record_number_twice_is_a_conflict_naming_the_existing_patient()
    {
        var existing = RegisteredPatient.From(new PatientRegistered(Guid.NewGuid(), PatientId, "MRN-1", Sealing.Fake("Ana Silva"),
            1990, Sex.Female, Now));
        var decision = Decide(existing, Register with { PatientId = Guid.NewGuid() }, Sealing.Fake);
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
        Assert.Contains(field, request.Validate(Now, IdentityTests.Index).Error!.Errors!.Keys);
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
        var patient = RegisteredPatient.From(new PatientRegistered(Guid.NewGuid(), PatientId, "MRN-1", Sealing.Fake("Ana Silva"),
            1990, Sex.Female, Now));
        var open = AssessmentEvolution.Fold([Started]);
        var decision = AssessmentStart.Decide(patient, open, new StartAssessment(PatientId, Guid.NewGuid(), Now));
        Assert.Equal("assessment-in-progress", decision.Error!.Rule);

        var started = AssessmentStart.Decide(patient, null, new StartAssessment(PatientId, AssessmentId, Now));
        Assert.Equal(new AssessmentStarted(AssessmentId, PatientId, Now), Assert.Single(started.Events));
    }
}
