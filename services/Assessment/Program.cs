using Recovery.Assessment;
using Recovery.Assessment.Episodes;
using Recovery.Assessment.Patients;
using Recovery.Assessment.Publishing;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("assessment");
builder.AddEventStore(schema: "assessment", tenantPerClinic: true, store =>
    {
        store.Projections.Add<RegisteredPatientProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        store.Projections.Add<AssessmentEpisodeProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        store.Schema.For<RegisteredPatient>().Index(p => p.PatientId);
        store.Schema.For<AssessmentEpisode>().Index(a => a.PatientId);
    })
    .ForwardIntegrationEvents<AssessmentIntegrationEvents>(builder.Configuration);
builder.AddPersonalDataVault().AddAssessmentConsumers();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAssessmentApi();
app.Run();
