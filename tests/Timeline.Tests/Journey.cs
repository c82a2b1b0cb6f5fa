using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;
using Recovery.Timeline.Fhir;

namespace Recovery.Timeline.Tests;

/// <summary>One patient's journey at one clinic, from registration to monitoring, as the network record holds it.</summary>
internal static class Journey
{
    public const string Clinic = "clinic-north";
    public const string OtherClinic = "clinic-south";

    // Free text a person typed that could be about the patient: none of it may leave in the export.
    public const string GroupNameText = "Kowalski family evening group";

    public static readonly Guid PatientId = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    public static readonly Guid AssessmentId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    public static readonly Guid PlanId = Guid.Parse("0190b000-0000-7000-8000-000000000001");
    public static readonly Guid AttendedSession = Guid.Parse("0190c000-0000-7000-8000-000000000001");
    public static readonly Guid MissedSession = Guid.Parse("0190c000-0000-7000-8000-000000000002");
    public static readonly Guid GroupId = Guid.Parse("0190c000-0000-7000-8000-0000000000f1");
    public static readonly Guid MonitoringId = Guid.Parse("0190d000-0000-7000-8000-000000000001");
    public static readonly Guid ActiveConsent = Guid.Parse("0190e000-0000-7000-8000-000000000001");
    public static readonly Guid RevokedConsent = Guid.Parse("0190e000-0000-7000-8000-000000000002");

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ExportedAt = Start.AddDays(90);

    public static readonly Dictionary<string, int> IntakeCows = new()
    {
        ["resting-pulse-rate"] = 2, ["sweating"] = 2, ["restlessness"] = 1, ["pupil-size"] = 1, ["bone-or-joint-aches"] = 2,
        ["runny-nose-or-tearing"] = 1, ["gi-upset"] = 2, ["tremor"] = 1, ["yawning"] = 1, ["anxiety-or-irritability"] = 0,
        ["gooseflesh-skin"] = 0,
    };

    public static readonly Dictionary<string, int> DetoxCows = new()
    {
        ["resting-pulse-rate"] = 1, ["sweating"] = 1, ["restlessness"] = 1, ["pupil-size"] = 0, ["bone-or-joint-aches"] = 1,
        ["runny-nose-or-tearing"] = 0, ["gi-upset"] = 0, ["tremor"] = 0, ["yawning"] = 1, ["anxiety-or-irritability"] = 1,
        ["gooseflesh-skin"] = 0,
    };

    public static IReadOnlyList<RecordedFact> Facts()
    {
        var e = (Guid?)AssessmentId;
        var at = Start;
        DateTimeOffset Next(double hours) => at = at.AddHours(hours);
        IPatientEvent[] facts =
        [
            new PatientRegistered(PatientId, Clinic, null, Next(0), Guid.Parse("0190a000-0000-7000-8000-0000000000bb"), "female", 1987),
            new AssessmentStarted(PatientId, Clinic, e, Next(0.1), AssessmentId),
            // A first count below the threshold, then the full one: the later count is the diagnosis.
            new OudCriteriaRecorded(PatientId, Clinic, e, Next(0.1), AssessmentId, ["craving"], false, 1, "none", null),
            new OudCriteriaRecorded(PatientId, Clinic, e, Next(0.1), AssessmentId,
                ["larger-amounts", "cut-down", "time-spent", "craving", "obligations", "tolerance"], false, 6, "severe", "F11.20"),
            new LabResultRecorded(PatientId, Clinic, e, Next(1), AssessmentId, "hiv", "negative", new DateOnly(2026, 3, 2)),
            new LabResultRecorded(PatientId, Clinic, e, Next(0.1), AssessmentId, "hepatitis-b", "negative", new DateOnly(2026, 3, 2)),
            new LabResultRecorded(PatientId, Clinic, e, Next(0.1), AssessmentId, "hepatitis-c", "positive", new DateOnly(2026, 3, 2)),
            new CardiovascularStatusRecorded(PatientId, Clinic, e, Next(0.5), AssessmentId, 92, 128, 84, 431, "normal"),
            new WithdrawalScored(PatientId, Clinic, e, Next(0.2), AssessmentId, at, IntakeCows, 13, "moderate"),
            new AssessmentCompleted(PatientId, Clinic, e, Next(0.2), AssessmentId, "severe", 6, "F11.20",
                "negative", "negative", "positive", "normal", 431, 13),
            new DetoxPlanDrafted(PatientId, Clinic, e, Next(20), PlanId, "methadone",
                [new DosePhase("induction", 3, 30m), new DosePhase("stabilisation", 14, 60m), new DosePhase("taper", 14, 20m)], "dr-ada"),
            new DetoxPlanApproved(PatientId, Clinic, e, Next(1), PlanId, "dr-bo"),
            new DoseGiven(PatientId, Clinic, e, Next(1), PlanId, "methadone", 30m, at, "rn-cy", true, false),
            new DetoxWithdrawalChecked(PatientId, Clinic, e, Next(3), PlanId, at, DetoxCows, 6, "mild"),
            new DoseGiven(PatientId, Clinic, e, Next(21), PlanId, "methadone", 45m, at, "rn-cy", false, true),
            new DoseMissed(PatientId, Clinic, e, Next(24), PlanId, new DateOnly(2026, 3, 5)),
            new CounselingSessionScheduled(PatientId, Clinic, e, Next(1), AttendedSession, at.AddDays(2), "Counselor Dee"),
            new CounselingSessionAttended(PatientId, Clinic, e, Next(48), AttendedSession, at, 50),
            new CounselingSessionScheduled(PatientId, Clinic, e, Next(1), MissedSession, at.AddDays(7), "Counselor Dee"),
            new CounselingSessionMissed(PatientId, Clinic, e, Next(24 * 7), MissedSession, at),
            new HelpGroupEnrolled(PatientId, Clinic, e, Next(1), GroupId, GroupNameText),
            new HelpGroupMeetingAttended(PatientId, Clinic, e, Next(24), GroupId, new DateOnly(2026, 3, 18)),
            new DetoxCompleted(PatientId, Clinic, e, Next(24 * 20), PlanId, "methadone", new DateOnly(2026, 4, 4), 31),
            new MonitoringStarted(PatientId, Clinic, e, Next(1), MonitoringId, PlanId, "methadone", "completed",
                new DateOnly(2026, 4, 4), "methadone", "ctn-0094-return-to-use@1"),
            new UrineScreenRecorded(PatientId, Clinic, e, Next(24 * 7), MonitoringId, new DateOnly(2026, 4, 11),
                new Dictionary<string, string>
                {
                    ["opiates"] = "negative", ["fentanyl"] = "positive", ["methadone"] = "positive", ["cocaine"] = "negative",
                    ["cannabis"] = "not-collected",
                }, true, false),
            new UrineScreenRecorded(PatientId, Clinic, e, Next(24 * 7), MonitoringId, new DateOnly(2026, 4, 18),
                new Dictionary<string, string> { ["opiates"] = "not-collected" }, false, true),
        ];
        // Event ids derived from the position, so two calls give the same journey.
        return facts.Select((fact, i) => new RecordedFact(new Guid($"0190f000-0000-7000-8000-{i:x12}"), fact)).ToList();
    }

    public static IReadOnlyList<SharedConsent> Consents() =>
    [
        new(ActiveConsent, Clinic, "network", "treatment", Start.AddDays(1), null, null),
        new(RevokedConsent, Clinic, OtherClinic, "payment", Start.AddDays(1), Start.AddDays(365), Start.AddDays(30)),
    ];
}
