using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.Sessions;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class SessionSchedulingTests
{
    private static ScheduleSession Schedule => new(PatientId, Now.AddDays(3), "counselor-7", 50, SessionId, Now);

    [Fact]
    public void Schedules_a_session_in_the_patients_current_episode() =>
        Assert.Equal(new CounselingSessionScheduled(SessionId, PatientId, EpisodeId, Now.AddDays(3), "counselor-7", 50, Now),
            Assert.Single(SessionScheduling.Decide(Registered, Schedule).Events));

    [Fact]
    public void A_patient_without_an_assessment_yet_is_scheduled_without_an_episode()
    {
        var scheduled = Assert.IsType<CounselingSessionScheduled>(
            Assert.Single(SessionScheduling.Decide(Registered with { CurrentEpisodeId = null }, Schedule).Events));
        Assert.Null(scheduled.EpisodeId);
    }

    [Fact]
    public void A_patient_not_registered_at_this_clinic_is_not_found()
    {
        var decision = SessionScheduling.Decide(null, Schedule);
        Assert.Empty(decision.Events);
        Assert.Equal(ErrorKind.NotFound, decision.Error!.Kind);
        Assert.Equal("patient-not-registered", decision.Error.Rule);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(480, true)]
    [InlineData(481, false)]
    public void Planned_duration_is_optional_and_between_1_and_480_minutes(int? minutes, bool valid)
    {
        var validated = new ScheduleSessionRequest(PatientId, Now.AddDays(1), "counselor-7", minutes).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
        if (!valid) Assert.Contains("plannedDurationMinutes", validated.Error!.Errors!.Keys);
    }

    [Fact]
    public void A_session_may_be_scheduled_in_the_past_to_enter_what_already_happened() =>
        Assert.Null(new ScheduleSessionRequest(PatientId, Now.AddDays(-20), "counselor-7", null).Validate(Now).Error);

    [Theory]
    [InlineData(366, true)]
    [InlineData(367, false)]
    public void A_session_is_scheduled_at_most_a_year_ahead(int days, bool valid)
    {
        var validated = new ScheduleSessionRequest(PatientId, Now.AddDays(days), "counselor-7", null).Validate(Now);
        Assert.Equal(valid, validated.Error is null);
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var error = new ScheduleSessionRequest(null, null, " ", null).Validate(Now).Error!;
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(["counselorId", "patientId", "scheduledFor"], error.Errors!.Keys.Order());
    }
}
