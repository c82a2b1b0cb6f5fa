using JasperFx.Events.Projections;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Detox;
using Recovery.Detox.Dosing;
using Recovery.Detox.Drafting;
using Recovery.Detox.Eligibility;
using Recovery.Detox.Induction;
using Recovery.Detox.Plans;
using Recovery.Detox.Publishing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("detox");
builder.Services.AddClinicProtocols<InductionProtocol>(InductionProtocolView.Section)
    .AddClinicProtocols<DosingProtocol>(DosingProtocol.Section);
builder.AddEventStore(schema: "detox", tenantPerClinic: true, store =>
    {
        store.Projections.Add<DetoxPlanProjection>(ProjectionLifecycle.Inline);
        store.Schema.For<DetoxPlan>().Index(p => p.PatientId)
            .UniqueIndex(UniqueIndexType.Computed, PlanDrafting.OneOpenPlanIndex, TenancyScope.PerTenant, p => p.OpenForPatient!);
        store.Schema.For<CompletedAssessment>().Index(a => a.PatientId);
    })
    .ForwardIntegrationEvents<DetoxIntegrationEvents>(builder.Configuration);
builder.AddPersonalDataVault().AddDetoxConsumers();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDetoxApi();
app.Run();
