using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.Clinical;

namespace Recovery.Assessment.Criteria;

/// <summary>The DSM-5 OUD criteria met, with the count and severity derived from them.</summary>
public sealed record OudCriteriaRecorded(
    Guid AssessmentId,
    Guid PatientId,
    IReadOnlyList<OudCriterion> CriteriaMet,
    bool OnlyUnderMedicalSupervision,
    int CriteriaCounted,
    OudSeverity Severity,
    string? Icd10Code,
    DateTimeOffset? AssessedAt = null);

/// <summary>The criteria the clinician found met; the others were assessed as not met.</summary>
public sealed record RecordOudCriteria(IReadOnlyList<OudCriterion> CriteriaMet, bool OnlyUnderMedicalSupervision, DateTimeOffset? AssessedAt = null);

/// <summary>AssessedAt, when the clinician assessed the criteria, defaults to the time of recording.</summary>
public sealed record RecordOudCriteriaRequest(string[]? CriteriaMet, bool? OnlyUnderMedicalSupervision, DateTimeOffset? AssessedAt = null)
{
    public Validated<RecordOudCriteria> Validate(ClinicNow now)
    {
        var errors = new FieldErrors();
        if (CriteriaMet is null) errors.Add("criteriaMet", "is required (an empty list when no criterion is met)");
        var met = new List<OudCriterion>();
        for (var i = 0; i < (CriteriaMet?.Length ?? 0); i++)
        {
            if (Kebab.TryParse<OudCriterion>(CriteriaMet![i], out var criterion)) met.Add(criterion);
            else errors.Add($"criteriaMet[{i}]", $"'{CriteriaMet[i]}' is not a DSM-5 OUD criterion; one of {string.Join(", ", Kebab.AllOf<OudCriterion>())}");
        }
        errors.Required("onlyUnderMedicalSupervision", OnlyUnderMedicalSupervision);
        var assessedAt = errors.NotInFuture("assessedAt", AssessedAt, now);
        if (errors.Any) return errors.ToError();
        return new RecordOudCriteria(met.Distinct().ToList(), OnlyUnderMedicalSupervision!.Value, assessedAt);
    }
}

public static class OudCriteria
{
    public static Decision Decide(AssessmentEpisode assessment, RecordOudCriteria command)
    {
        if (AssessmentRules.MustBeInProgress(assessment) is { } refused) return refused;
        var diagnosis = Dsm5.Diagnose(command.CriteriaMet, command.OnlyUnderMedicalSupervision);
        return Decision.Accept(new OudCriteriaRecorded(assessment.Id, assessment.PatientId, command.CriteriaMet,
            command.OnlyUnderMedicalSupervision, diagnosis.CriteriaCounted, diagnosis.Severity, diagnosis.Icd10Code, command.AssessedAt));
    }
}
