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
        store.Schema.For<RegistrationIndex>().Index(r => r.PatientId).Index(r => r.FamilyName).Index(r => r.GivenName).Index(r => r.BirthDate);
        // A link code is looked up by the clinic it is taken to, not the one that issued it.
        // Spent under an optimistic version: two clinics spending one code at the same instant, the second is refused.
        store.Schema.For<LinkCode>().SingleTenanted().UseOptimisticConcurrency(true);
    })
    .ForwardIntegrationEvents<AssessmentIntegrationEvents>(builder.Configuration);
builder.AddPersonalDataVault().AddAssessmentConsumers();
builder.Services.AddSingleton<IPersonalIndex, RegistrationIndexErasure>();
builder.Services.Configure<IdentitySettings>(builder.Configuration.GetSection(IdentitySettings.Section));

var app = builder.Build();
app.UseServiceDefaults();
app.MapAssessmentApi();
app.Run();
