using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Domain;
using Recovery.Testing;
using static Recovery.Assessment.Tests.AssessmentFacts;

namespace Recovery.Assessment.Tests;

/// <summary>A registration linked to the wrong person, marked entered in error: Given registration events / When the correction / Then.</summary>
public class RegistrationCorrectionTests
{
    private static readonly Guid RegistrationId = PatientRegistration.RegistrationIdOf("south", "S-1");
    private static readonly Guid RegisteredEventId = Guid.Parse("0190a000-0000-7000-8000-0000000000ee");

    private static readonly PatientRegistered Registered = new(RegistrationId, PatientId, "S-1", Sealing.Fake("Joseph Brown"), 1961, Sex.Male,
        Now.AddDays(-1));

    private static readonly EnterRegistrationInError Correction = new("wrong person linked at the front desk", Now);

    private static readonly RegistrationIndex Index = new() { Id = RegistrationId, PatientId = PatientId, ClinicId = "south", ClinicRecordNumber = "S-1" };

    private static Scenario<RegisteredPatient> Scenario() =>
        new(events => events.Aggregate((RegisteredPatient?)null, PatientRegistration.Evolve)!);

    private static RegistrationCare Care(int assessments = 0, int others = 0) => new(assessments, others, Index, RegisteredEventId);

    [Fact]
    public void With_no_care_recorded_under_it_the_registration_is_entered_in_error_and_its_index_unlinked()
    {
        var decision = RegistrationCorrection.Decide(RegisteredPatient.From(Registered), Correction, Care(), Sealing.Fake);
        Assert.True(decision.IsAccepted, decision.Error?.Message);
        Assert.Equal(new RegistrationEnteredInError(RegistrationId, PatientId, RegisteredEventId, Sealing.Fake(Correction.Reason), Now),
            Assert.Single(decision.Events));
        var index = Assert.IsType<RegistrationIndex>(Assert.Single(decision.Documents!));
        Assert.Equal((RegistrationId, true, false), (index.Id, index.Unlinked, index.Live));
    }

    [Fact]
    public void One_assessment_at_this_clinic_under_it_refuses_the_correction_naming_the_registration()
    {
        // Boundary pair: 0 assessments is accepted (above), 1 is refused.
        var error = Scenario().Given(Registered)
            .When(r => RegistrationCorrection.Decide(r, Correction, Care(assessments: 1), Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "registration-has-care");
        Assert.NotNull(error.Errors!["registrationId"]);
        Assert.Equal(1, error.Values!["count"]);
    }

    [Fact]
    public void Another_live_registration_of_the_same_patient_here_refuses_the_correction()
    {
        // Boundary pair: 0 others accepted (above), 1 refused.
        var error = Scenario().Given(Registered)
            .When(r => RegistrationCorrection.Decide(r, Correction, Care(others: 1), Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "patient-registered-again-here");
        Assert.NotNull(error.Errors!["registrationId"]);
    }

    [Fact]
    public void A_registration_already_entered_in_error_is_not_corrected_twice()
    {
        Scenario().Given(Registered, new RegistrationEnteredInError(RegistrationId, PatientId, RegisteredEventId, Sealing.Fake("x"), Now))
            .When(r => RegistrationCorrection.Decide(r, Correction, Care(), Sealing.Fake))
            .ThenRejected(ErrorKind.Conflict, "registration-entered-in-error");
    }

    [Fact]
    public void The_reason_is_required()
    {
        Assert.Equal("reason", Assert.Single(new EnterRegistrationInErrorRequest(" ").Validate(Now).Error!.Errors!.Keys));
        Assert.Null(new EnterRegistrationInErrorRequest("wrong person").Validate(Now).Error);
    }

    [Fact]
    public void After_the_correction_the_record_number_is_registered_again_under_its_next_registration_id()
    {
        var corrected = Scenario().Given(Registered, new RegistrationEnteredInError(RegistrationId, PatientId, RegisteredEventId, Sealing.Fake("x"), Now));
        var next = PatientRegistration.RegistrationIdOf("south", "S-1", 1);
        Assert.NotEqual(RegistrationId, next);
        Assert.Equal(next, PatientRegistration.RegistrationIdOf("south", "S-1", 1));
        Assert.NotEqual(next, PatientRegistration.RegistrationIdOf("south", "S-1", 2));
        // The first registration keeps the id it always had.
        Assert.Equal(RegistrationId, PatientRegistration.RegistrationIdOf("south", "S-1", 0));

        var register = new RegisterPatient("S-1", "Ana", "Silva", new DateOnly(1990, 4, 1), Sex.Female, null, Guid.NewGuid(), Now,
            IdentityKeys.Of(IdentityTests.Index, "Ana", "Silva", new DateOnly(1990, 4, 1)));
        var decision = PatientRegistration.Decide(new RegistrationRead(null, [], null, next), next, register, Sealing.Fake, "south", Now);
        Assert.Equal(next, Assert.IsType<PatientRegistered>(Assert.Single(decision.Events)).RegistrationId);
        corrected.When(r => RegistrationCorrection.Decide(r, Correction, Care(), Sealing.Fake)).ThenRejected(ErrorKind.Conflict, "registration-entered-in-error");
    }
}
