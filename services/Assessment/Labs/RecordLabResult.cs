using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Assessment.Labs;

/// <summary>A blood-borne infection test result (HIV, hepatitis B, hepatitis C).</summary>
public sealed record LabResultRecorded(Guid AssessmentId, Guid PatientId, LabTest Test, LabOutcome Result, DateOnly TestedOn);

public sealed record RecordLabResult(LabTest Test, LabOutcome Result, DateOnly TestedOn);

public sealed record RecordLabResultRequest(string? Test, string? Result, DateOnly? TestedOn)
{
    public Validated<RecordLabResult> Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var test = errors.OneOf<LabTest>("test", Test);
        var result = errors.OneOf<LabOutcome>("result", Result);
        var testedOn = errors.Required("testedOn", TestedOn);
        if (RequestTimes.IsInFuture(testedOn, now)) errors.Add("testedOn", "cannot be in the future");
        if (errors.Any) return errors.ToError();
        return new RecordLabResult(test, result, testedOn!.Value);
    }
}

public static class LabResults
{
    public static Decision Decide(AssessmentEpisode assessment, RecordLabResult command) =>
        AssessmentRules.MustBeInProgress(assessment) is { } refused
            ? refused
            : Decision.Accept(new LabResultRecorded(assessment.Id, assessment.PatientId, command.Test, command.Result, command.TestedOn));
}
