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

    protected override async Task Handle(IDocumentSession session, ConsumeContext<V1.PatientRegistered> context)
    {
        var registered = context.Message;
        // Its correction may have come first: a registration entered in error stays so.
        if (await session.LoadAsync<RegisteredPatient>(registered.RegistrationId, context.CancellationToken) is { EnteredInError: true }) return;
        session.Store(new RegisteredPatient
        {
            Id = registered.RegistrationId, PatientId = registered.PatientId, RegisteredAt = registered.ClinicalTime(),
        });
    }
}

/// <summary>
/// A registration entered in error (a wrong link) registers nobody here any more: sessions and groups can no longer be
/// scheduled or joined under it. Assessment refused the correction while its own care rested on the registration; sessions
/// already recorded under it stay in this clinic's store (the Timeline drops them from the patient's record).
/// </summary>
public sealed class RegistrationEnteredInErrorConsumer(IDocumentStore store, ILogger<RegistrationEnteredInErrorConsumer> logger)
    : IdempotentConsumer<V1.RegistrationEnteredInError>(store, logger)
{
    protected override string? TenantOf(V1.RegistrationEnteredInError message) => message.ClinicId;

    protected override async Task Handle(IDocumentSession session, ConsumeContext<V1.RegistrationEnteredInError> context)
    {
        var unlinked = context.Message;
        var registration = await session.LoadAsync<RegisteredPatient>(unlinked.RegistrationId, context.CancellationToken)
            ?? new RegisteredPatient { Id = unlinked.RegistrationId, PatientId = unlinked.PatientId };
        session.Store(registration with { EnteredInError = true });
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
