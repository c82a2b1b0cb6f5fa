using Recovery.BuildingBlocks.Domain;
using Recovery.Detox.Dosing;
using Recovery.Detox.Plans;
using static Recovery.Detox.Tests.DetoxFacts;

namespace Recovery.Detox.Tests;

public class DosingTests
{
    [Fact]
    public void A_dose_of_another_medication_than_the_plans_is_refused()
    {
        var error = Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => Doses.Decide(p, Dose(Medication.Buprenorphine, 4m, Now), Needs, Sealing.Fake))
            .ThenRejected(ErrorKind.RuleBroken, "dose-medication-mismatch");
        Assert.Equal("methadone", error.Values!["planMedication"]);
    }

    public static TheoryData<GiveDoseRequest, string> BadDoses => new()
    {
        { new GiveDoseRequest("methadone", 0m, Now, null), "doseMg" },
        { new GiveDoseRequest("methadone", -5m, Now, null), "doseMg" },
        { new GiveDoseRequest("methadone", null, Now, null), "doseMg" },
        { new GiveDoseRequest("buprenorphine", 40m, Now, null), "doseMg" },
        { new GiveDoseRequest("aspirin", 10m, Now, null), "medication" },
        { new GiveDoseRequest("methadone", 10m, null, null), "givenAt" },
        { new GiveDoseRequest("methadone", 10m, Now.AddMinutes(6), null), "givenAt" },
        { new GiveDoseRequest("methadone", 35m, Now, "  "), "overrideReason" },
    };

    [Theory]
    [MemberData(nameof(BadDoses))]
    public void A_bad_dose_request_names_the_field(GiveDoseRequest request, string field) =>
        Assert.Contains(field, request.Validate(Now, Nurse).Error!.Errors!.Keys);

    [Fact]
    public void A_dose_given_a_few_minutes_ahead_of_the_server_clock_is_accepted() =>
        Assert.Null(new GiveDoseRequest("methadone", 10m, Now.AddMinutes(5), null).Validate(Now, Nurse).Error);

    [Fact]
    public void A_missed_dose_is_recorded_by_date() =>
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => MissedDoses.Decide(p, new RecordMissedDose(new DateOnly(2026, 11, 1))))
            .Then(new DoseMissed(PlanId, PatientId, EpisodeId, new DateOnly(2026, 11, 1)));

    [Fact]
    public void A_missed_dose_is_recorded_once_per_day() =>
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved, new DoseMissed(PlanId, PatientId, EpisodeId, new DateOnly(2026, 11, 1)))
            .When(p => MissedDoses.Decide(p, new RecordMissedDose(new DateOnly(2026, 11, 1))))
            .ThenRejected(ErrorKind.Conflict, "missed-dose-already-recorded");

    [Fact]
    public void No_dose_is_missed_before_approval()
    {
        Scenario()
            .Given(Drafted(Medication.Methadone))
            .When(p => MissedDoses.Decide(p, new RecordMissedDose(new DateOnly(2026, 11, 1))))
            .ThenRejected(ErrorKind.RuleBroken, "plan-not-approved");
        Scenario()
            .Given(Drafted(Medication.Methadone), Approved)
            .When(p => MissedDoses.Decide(p, new RecordMissedDose(new DateOnly(2026, 10, 29))))
            .ThenRejected(ErrorKind.RuleBroken, "missed-dose-before-approval");
    }

    [Fact]
    public void A_missed_dose_cannot_be_in_the_future()
    {
        Assert.Contains("missedOn", new RecordMissedDoseRequest(new DateOnly(2026, 11, 3)).Validate(Now).Error!.Errors!.Keys);
        Assert.Contains("missedOn", new RecordMissedDoseRequest(null).Validate(Now).Error!.Errors!.Keys);
    }
}
