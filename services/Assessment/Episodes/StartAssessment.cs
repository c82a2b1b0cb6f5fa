using Marten;
using Recovery.Assessment.Patients;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;

namespace Recovery.Assessment.Episodes;

/// <summary>An assessment (intake) was opened for a registered patient; it begins a treatment episode.</summary>
public sealed record AssessmentStarted(Guid AssessmentId, Guid PatientId, DateTimeOffset StartedAt);

public sealed record StartAssessment(Guid PatientId, Guid AssessmentId, DateTimeOffset Now);

public static class AssessmentStart
{
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
        return Decision.Accept(new AssessmentStarted(command.AssessmentId, command.PatientId, command.Now));
    }

    internal static async Task<IResult> Handle(Guid patientId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var patient = await session.Query<RegisteredPatient>().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        var open = await session.Query<AssessmentEpisode>()
            .FirstOrDefaultAsync(a => a.PatientId == patientId && a.Status == AssessmentStatus.InProgress, ct);
        var decision = Decide(patient, open, new StartAssessment(patientId, Guid.CreateVersion7(), clock.GetUtcNow()));
        if (decision.Error is { } error) return Problems.From(error);

        var started = (AssessmentStarted)decision.Events[0];
        session.Events.StartStream<AssessmentEpisode>(started.AssessmentId, decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        return Results.Created($"/assessments/{started.AssessmentId}", AssessmentView.Of(AssessmentEvolution.Fold(decision.Events)));
    }
}
