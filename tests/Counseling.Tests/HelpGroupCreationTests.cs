using Recovery.BuildingBlocks.Domain;
using Recovery.Counseling.HelpGroups;
using static Recovery.Counseling.Tests.CounselingFacts;

namespace Recovery.Counseling.Tests;

public class HelpGroupCreationTests
{
    [Fact]
    public void Creates_a_group_with_its_weekly_schedule()
    {
        var command = new CreateHelpGroupRequest("Evening group", ["thursday", "monday"], "18:30", "facilitator-3").Validate(Now).Value!;
        Assert.Equal(new[] { DayOfWeek.Monday, DayOfWeek.Thursday }, command.MeetingDays);
        Assert.Equal(new TimeOnly(18, 30), command.MeetingTime);

        var created = Assert.IsType<HelpGroupCreated>(Assert.Single(HelpGroupCreation.Decide(command).Events));
        Assert.Equal("Evening group", created.Name);
        Assert.Equal(Now, created.CreatedAt);
    }

    [Fact]
    public void Names_every_bad_field()
    {
        var error = new CreateHelpGroupRequest("", ["monday", "someday", "monday"], "6 pm", null).Validate(Now).Error!;
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(["facilitatorId", "meetingDays[1]", "meetingDays[2]", "meetingTime", "name"], error.Errors!.Keys.Order());
    }

    [Fact]
    public void A_group_meets_on_at_least_one_day() =>
        Assert.Contains("meetingDays", new CreateHelpGroupRequest("Group", [], "18:30", "f-1").Validate(Now).Error!.Errors!.Keys);

    [Theory]
    [InlineData("00:00", true)]
    [InlineData("23:59", true)]
    [InlineData("24:00", false)]
    [InlineData("7:30", false)]
    public void The_meeting_time_is_a_time_of_day(string time, bool valid) =>
        Assert.Equal(valid, new CreateHelpGroupRequest("Group", ["monday"], time, "f-1").Validate(Now).Error is null);
}
