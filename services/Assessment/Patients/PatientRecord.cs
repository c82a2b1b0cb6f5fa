using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Http;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>A patient as this clinic knows them: the registration and the clinic's assessments.</summary>
public sealed record PatientRecord(RegistrationView Registration, IReadOnlyList<AssessmentSummary> Assessments)
{
    internal static async Task<IResult> Get(Guid patientId, IQuerySession session, PersonalDataVault vault, CancellationToken ct)
    {
        var registration = await session.Query<RegisteredPatient>().FirstOrDefaultAsync(p => p.PatientId == patientId && !p.EnteredInError, ct);
        if (registration is null)
            return Problems.From(DomainError.NotFound("patient-not-registered", $"Patient {patientId} is not registered at this clinic."));
        var assessments = await session.Query<AssessmentEpisode>().Where(a => a.PatientId == patientId)
            .OrderBy(a => a.StartedAt).ToListAsync(ct);
        return Results.Ok(new PatientRecord(await RegistrationView.Open(registration, vault, session.TenantId, ct),
            assessments.Select(a => new AssessmentSummary(a.Id, a.Status, a.StartedAt, a.CompletedAt)).ToList()));
    }
}

public sealed record AssessmentSummary(Guid AssessmentId, AssessmentStatus Status, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);
