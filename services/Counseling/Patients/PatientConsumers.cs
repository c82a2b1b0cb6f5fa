using Recovery.Contracts;
using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using V1 = Recovery.Contracts.Assessment.V1;

namespace Recovery.Counseling.Patients;

/// <summary>Records that the clinic registered the patient, in that clinic's tenant.</summary>
public sealed class PatientRegisteredConsumer(IDocumentStore store, ILogger<PatientRegisteredConsumer> logger)
    : IdempotentConsumer<V1.PatientRegistered>(store, logger)
{
    protected override string? TenantOf(V1.PatientRegistered message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<V1.PatientRegistered> context)
    {
        var registered = context.Message;
        session.Store(new RegisteredPatient
        {
            Id = registered.RegistrationId, PatientId = registered.PatientId, RegisteredAt = registered.ClinicalTime(),
        });
        return Task.CompletedTask;
    }
}

/// <summary>
/// Records a treatment episode of the patient at the clinic. Kept apart from the registration, so the two
/// messages may arrive in either order.
/// </summary>
public sealed class AssessmentStartedConsumer(IDocumentStore store, ILogger<AssessmentStartedConsumer> logger)
    : IdempotentConsumer<V1.AssessmentStarted>(store, logger)
{
    protected override string? TenantOf(V1.AssessmentStarted message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<V1.AssessmentStarted> context)
    {
        var started = context.Message;
        session.Store(new TreatmentEpisode { Id = started.AssessmentId, PatientId = started.PatientId, StartedAt = started.ClinicalTime() });
        return Task.CompletedTask;
    }
}
