using Recovery.BuildingBlocks.Privacy;
using JasperFx.Events.Projections;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse;
using Recovery.Relapse.Monitorings;
using Recovery.Relapse.Publishing;
using Recovery.Relapse.Rules;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("relapse");
builder.Services.AddClinicProtocols<RelapseProtocol>(RelapseProtocol.Section);
builder.AddEventStore(schema: "relapse", tenantPerClinic: true, store =>
    {
        store.Projections.Add<MonitoringProjection>(ProjectionLifecycle.Inline);
        store.Projections.Add<ClinicRelapseRuleProjection>(ProjectionLifecycle.Inline);
        store.Schema.For<Monitoring>().Index(m => m.PatientId);
    })
    .ForwardIntegrationEvents<RelapseIntegrationEvents>(builder.Configuration);
builder.AddPersonalDataVault().AddRelapseConsumers();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRelapseApi();
app.Run();
