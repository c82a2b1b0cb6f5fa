using Recovery.BuildingBlocks.Time;
using System.Globalization;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Counseling.HelpGroups;

/// <summary>A clinic set up a help group that meets weekly on the given days at the given time.</summary>
public sealed record HelpGroupCreated(
    Guid GroupId,
    string Name,
    IReadOnlyList<DayOfWeek> MeetingDays,
    TimeOnly MeetingTime,
    string FacilitatorId,
    DateTimeOffset CreatedAt);

public sealed record CreateHelpGroup(string Name, IReadOnlyList<DayOfWeek> MeetingDays, TimeOnly MeetingTime, string FacilitatorId,
    Guid GroupId, DateTimeOffset Now);

public sealed record CreateHelpGroupRequest(string? Name, string[]? MeetingDays, string? MeetingTime, string? FacilitatorId)
{
    public Validated<CreateHelpGroup> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        var name = errors.RequiredText("name", Name, 200);
        var days = new List<DayOfWeek>();
        if (MeetingDays is null or { Length: 0 }) errors.Add("meetingDays", "is required: the weekdays the group meets on");
        for (var i = 0; i < (MeetingDays?.Length ?? 0); i++)
        {
            if (!Kebab.TryParse<DayOfWeek>(MeetingDays![i], out var day))
                errors.Add($"meetingDays[{i}]", $"'{MeetingDays[i]}' is not a weekday; one of {string.Join(", ", Kebab.AllOf<DayOfWeek>())}");
            else if (days.Contains(day)) errors.Add($"meetingDays[{i}]", $"{Kebab.Of(day)} is given twice");
            else days.Add(day);
        }
        if (string.IsNullOrWhiteSpace(MeetingTime)) errors.Add("meetingTime", "is required (HH:mm, the clinic's local time)");
        else if (!TimeOnly.TryParseExact(MeetingTime, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            errors.Add("meetingTime", "must be a time of day as HH:mm");
        var facilitator = errors.RequiredText("facilitatorId", FacilitatorId, 64);
        if (errors.Any) return errors.ToError();
        var time = TimeOnly.ParseExact(MeetingTime!, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture);
        return new CreateHelpGroup(name!, days.Order().ToList(), time, facilitator!, Guid.CreateVersion7(), now);
    }
}

public static class HelpGroupCreation
{
    public static Decision Decide(CreateHelpGroup command) =>
        Decision.Accept(new HelpGroupCreated(command.GroupId, command.Name, command.MeetingDays, command.MeetingTime,
            command.FacilitatorId, command.Now));
}
