using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Assessment.Labs;

/// <summary>Cardiovascular status at intake; the QTc matters for methadone, which prolongs it.</summary>
public sealed record CardiovascularStatusRecorded(
    Guid AssessmentId,
    Guid PatientId,
    int HeartRate,
    int SystolicBloodPressure,
    int DiastolicBloodPressure,
    int QtcMilliseconds,
    CardiovascularConclusion Conclusion,
    DateTimeOffset? MeasuredAt = null);

public sealed record RecordCardiovascularStatus(
    int HeartRate, int SystolicBloodPressure, int DiastolicBloodPressure, int QtcMilliseconds, CardiovascularConclusion Conclusion,
    DateTimeOffset? MeasuredAt = null);

/// <summary>MeasuredAt, when the measures were taken, defaults to the time of recording.</summary>
public sealed record RecordCardiovascularStatusRequest(
    int? HeartRate, int? SystolicBloodPressure, int? DiastolicBloodPressure, int? QtcMilliseconds, string? Conclusion,
    DateTimeOffset? MeasuredAt = null)
{
    public Validated<RecordCardiovascularStatus> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        // Plausibility ranges of a living adult; values outside are typing errors, not findings.
        var heartRate = InRange(errors, "heartRate", HeartRate, 20, 300);
        var systolic = InRange(errors, "systolicBloodPressure", SystolicBloodPressure, 50, 300);
        var diastolic = InRange(errors, "diastolicBloodPressure", DiastolicBloodPressure, 20, 200);
        var qtc = InRange(errors, "qtcMilliseconds", QtcMilliseconds, 200, 800);
        if (systolic is not null && diastolic is not null && diastolic >= systolic)
            errors.Add("diastolicBloodPressure", "must be lower than systolicBloodPressure");
        var conclusion = errors.OneOf<CardiovascularConclusion>("conclusion", Conclusion);
        var measuredAt = errors.NotInFuture("measuredAt", MeasuredAt, now);
        if (errors.Any) return errors.ToError();
        return new RecordCardiovascularStatus(heartRate!.Value, systolic!.Value, diastolic!.Value, qtc!.Value, conclusion, measuredAt);
    }

    private static int? InRange(FieldErrors errors, string field, int? value, int min, int max)
    {
        if (errors.Required(field, value) is { } v && (v < min || v > max)) errors.Add(field, $"must be between {min} and {max}");
        return value;
    }
}

public static class CardiovascularAssessment
{
    public static Decision Decide(AssessmentEpisode assessment, RecordCardiovascularStatus c) =>
        AssessmentRules.MustBeInProgress(assessment) is { } refused
            ? refused
            : Decision.Accept(new CardiovascularStatusRecorded(assessment.Id, assessment.PatientId, c.HeartRate,
                c.SystolicBloodPressure, c.DiastolicBloodPressure, c.QtcMilliseconds, c.Conclusion, c.MeasuredAt));
}
