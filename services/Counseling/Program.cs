using JasperFx.Events.Projections;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Privacy;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Counseling;
using Recovery.Counseling.HelpGroups;
using Recovery.Counseling.Patients;
using Recovery.Counseling.Publishing;
using Recovery.Counseling.Sessions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("counseling");
builder.Services.AddClinicProtocols<CounselingProtocol>(CounselingProtocol.Section);
builder.AddEventStore(schema: "counseling", tenantPerClinic: true, store =>
    {
        store.Projections.Add<CounselingSessionProjection>(ProjectionLifecycle.Inline);
        HelpGroupStorage.Configure(store);
        store.Schema.For<CounselingSession>().Index(s => s.PatientId);
        store.Schema.For<RegisteredPatient>().Index(p => p.PatientId);
        store.Schema.For<TreatmentEpisode>().Index(e => e.PatientId);
    })
    .ForwardIntegrationEvents<CounselingIntegrationEvents>(builder.Configuration);
builder.AddPersonalDataVault().AddCounselingConsumers();
// After the schema is applied (Marten's hosted service starts first): a store from before the member documents is split.
builder.Services.AddHostedService<HelpGroupMembersSplit>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCounselingApi();
app.Run();
