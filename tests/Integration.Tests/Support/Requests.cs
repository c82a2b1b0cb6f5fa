namespace Recovery.Integration.Tests;

/// <summary>Request bodies a clinician's client sends.</summary>
public static class Requests
{
    public static object Patient(string recordNumber, Guid? patientId = null, DateOnly? dateOfBirth = null, DateTimeOffset? registeredAt = null) => new
    {
        clinicRecordNumber = recordNumber,
        givenName = "Ana",
        familyName = "Teste",
        dateOfBirth = dateOfBirth ?? new DateOnly(1988, 3, 14),
        sex = "female",
        contact = new { phone = "+351 210 000 000", email = "ana@example.org" },
        patientId,
        registeredAt,
    };

    public static object Criteria(params string[] met) => new { criteriaMet = met, onlyUnderMedicalSupervision = false };

    // Yesterday, from the clock: a fixed date would one day lie in the future of a machine's clock, or grow stale.
    public static object Lab(string test, string result, DateOnly? testedOn = null) => new { test, result, testedOn = testedOn ?? Today.AddDays(-1) };

    public static object Cardiovascular => new
    {
        heartRate = 96, systolicBloodPressure = 132, diastolicBloodPressure = 84, qtcMilliseconds = 441, conclusion = "normal",
    };

    public static object Cows(int restlessness = 3) => new { items = CowsItems(restlessness) };

    /// <summary>The 11 COWS items, total 19 with the default restlessness of 3.</summary>
    public static Dictionary<string, int> CowsItems(int restlessness = 3) => new()
    {
        ["resting-pulse-rate"] = 2, ["sweating"] = 1, ["restlessness"] = restlessness, ["pupil-size"] = 1,
        ["bone-or-joint-aches"] = 2, ["runny-nose-or-tearing"] = 1, ["gi-upset"] = 2, ["tremor"] = 1,
        ["yawning"] = 1, ["anxiety-or-irritability"] = 2, ["gooseflesh-skin"] = 3,
    };

    public static string NewRecordNumber() => "MRN-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A clinic no other test or run has written to, for a test that counts or pages a clinic's records.</summary>
    public static string NewClinicId() => "clinic-" + Guid.NewGuid().ToString("N")[..8];

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);
}
