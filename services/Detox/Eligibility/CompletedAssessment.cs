using Recovery.Contracts;
using Marten;
using MassTransit;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using Recovery.Clinical;
using AssessmentCompleted = Recovery.Contracts.Assessment.V1.AssessmentCompleted;

namespace Recovery.Detox.Eligibility;

/// <summary>
/// An assessment the Assessment service completed at this clinic, as learned from its AssessmentCompleted event:
/// what makes a patient eligible for a detox plan, and the intake's findings a dose must read (QTc, severity).
/// Keyed by the assessment id, which becomes the plan's episode.
/// </summary>
public sealed record CompletedAssessment
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    /// <summary>As published: none, mild, moderate, severe.</summary>
    public string Severity { get; init; } = "";
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>DSM-5 criteria counted; null on assessments learned before Detox kept it.</summary>
    public int? CriteriaCounted { get; init; }

    /// <summary>The intake's QTc (ms); null on assessments learned before Detox kept it (methadone then treats it as unknown).</summary>
    public int? QtcMilliseconds { get; init; }

    /// <summary>As published: normal, abnormal-not-significant, abnormal-significant.</summary>
    public string? CardiovascularConclusion { get; init; }

    /// <summary>Severity "none": the criteria counted make no opioid use disorder diagnosis, so there is nothing to detox from.</summary>
    public bool DiagnosesOud => !Kebab.TryParse<OudSeverity>(Severity, out var severity) || severity != OudSeverity.None;

    public static CompletedAssessment From(AssessmentCompleted e) =>
        new()
        {
            Id = e.AssessmentId, PatientId = e.PatientId, Severity = e.Severity, CompletedAt = e.ClinicalTime(), CriteriaCounted = e.CriteriaCounted,
            QtcMilliseconds = e.QtcMilliseconds, CardiovascularConclusion = e.CardiovascularConclusion,
        };
}

/// <summary>Records completed assessments in the completing clinic's tenant, once per message.</summary>
public sealed class AssessmentCompletedConsumer(IDocumentStore store, ILogger<AssessmentCompletedConsumer> logger)
    : IdempotentConsumer<AssessmentCompleted>(store, logger)
{
    protected override string? TenantOf(AssessmentCompleted message) => message.ClinicId;

    protected override Task Handle(IDocumentSession session, ConsumeContext<AssessmentCompleted> context)
    {
        session.Store(CompletedAssessment.From(context.Message));
        return Task.CompletedTask;
    }
}
