using Recovery.Counseling;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Patients;
using Recovery.Counseling.Sessions;

namespace Recovery.Counseling.Tests;

/// <summary>Events of one session and one help group, to state the Given of a scenario briefly.</summary>
internal static class CounselingFacts
{
    public static readonly Guid SessionId = Guid.Parse("0190c000-0000-7000-8000-000000000001");
    public static readonly Guid GroupId = Guid.Parse("0190c000-0000-7000-8000-000000000002");
    public static readonly Guid PatientId = Guid.Parse("0190c000-0000-7000-8000-0000000000aa");
    public static readonly Guid EpisodeId = Guid.Parse("0190c000-0000-7000-8000-0000000000e1");
    public static readonly Guid NewEpisodeId = Guid.Parse("0190c000-0000-7000-8000-0000000000e2");

    /// <summary>Monday 2 November 2026, 09:30 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset ScheduledFor = Now.AddHours(-1);
    public static readonly CounselingProtocol Protocol = new();

    public static ClinicPatient Registered => new(PatientId, EpisodeId);

    public static Scenario<CounselingSession> Session() => new(CounselingSessionEvolution.Fold);

    public static CounselingSessionScheduled Scheduled => new(SessionId, PatientId, EpisodeId, ScheduledFor, "counselor-7", 50, Now.AddDays(-7));

    public static CounselingSessionAttended Attended => new(SessionId, PatientId, EpisodeId, ScheduledFor, 50, Sealing.Fake("Talked about work."));

    public static CounselingSessionMissed Missed => new(SessionId, PatientId, EpisodeId, ScheduledFor, Now);

    public static CounselingSessionCancelled Cancelled => new(SessionId, PatientId, Sealing.Fake("Counselor ill"), Now.AddDays(-1));

    public static Scenario<HelpGroup> Group() => new(HelpGroupEvolution.Fold);

    /// <summary>Meets Mondays and Thursdays at 18:30.</summary>
    public static HelpGroupCreated GroupCreated =>
        new(GroupId, "Monday and Thursday evening group", [DayOfWeek.Monday, DayOfWeek.Thursday], new TimeOnly(18, 30), "facilitator-3",
            Now.AddDays(-60));

    public static readonly DateOnly Monday = new(2026, 10, 26);
    public static readonly DateOnly Thursday = new(2026, 10, 29);
    public static readonly DateOnly Tuesday = new(2026, 10, 27);

    public static HelpGroupEnrolled Enrolled(DateOnly on) => new(GroupId, GroupCreated.Name, PatientId, EpisodeId, on);

    public static HelpGroupEnrolled EnrolledLongAgo => Enrolled(new DateOnly(2026, 9, 1));

    public static HelpGroupLeft Left(DateOnly on) => new(GroupId, PatientId, on);
}
