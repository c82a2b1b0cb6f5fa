using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Assessment.Episodes;

/// <summary>An assessment (intake) was opened for a registered patient; it begins a treatment episode.</summary>
public sealed record AssessmentStarted(Guid AssessmentId, Guid PatientId, DateTimeOffset StartedAt);

public sealed record StartAssessment(Guid PatientId, Guid AssessmentId, DateTimeOffset StartedAt);

/// <summary>The body is optional: StartedAt, when the intake began, defaults to now and may be in the past.</summary>
public sealed record StartAssessmentRequest(DateTimeOffset? StartedAt)
{
    public Validated<StartAssessment> Validate(Guid patientId, ClinicNow now)
    {
        var errors = new FieldErrors();
        var startedAt = errors.NotInFuture("startedAt", StartedAt, now);
        if (errors.Any) return errors.ToError();
        return new StartAssessment(patientId, Guid.CreateVersion7(), startedAt);
    }
}

public static class AssessmentStart
{
    /// <summary>What opening an assessment reads first: the patient's registration and any assessment in progress.</summary>
    public static async Task<(RegisteredPatient? Patient, AssessmentEpisode? Open)> Read(StartAssessment command, CommandContext context) =>
        (await context.Session.Query<RegisteredPatient>().FirstOrDefaultAsync(p => p.PatientId == command.PatientId && !p.EnteredInError, context.Cancellation),
         await context.Session.Query<AssessmentEpisode>()
             .FirstOrDefaultAsync(a => a.PatientId == command.PatientId && a.Status == AssessmentStatus.InProgress, context.Cancellation));

    /// <param name="patient">The patient's registration at this clinic, if any.</param>
    /// <param name="openAssessment">An assessment of this patient at this clinic that is still in progress, if any.</param>
    public static Decision Decide(RegisteredPatient? patient, AssessmentEpisode? openAssessment, StartAssessment command)
    {
        if (patient is null)
            return DomainError.NotFound("patient-not-registered", $"Patient {command.PatientId} is not registered at this clinic.");
        if (openAssessment is not null)
            return DomainError.Conflict("assessment-in-progress",
                $"Patient {command.PatientId} already has assessment {openAssessment.Id} in progress at this clinic.",
                new Dictionary<string, object?> { ["assessmentId"] = openAssessment.Id });
        return Decision.Accept(new AssessmentStarted(command.AssessmentId, command.PatientId, command.StartedAt));
    }
}
