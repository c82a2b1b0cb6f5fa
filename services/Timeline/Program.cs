using JasperFx.Events.Projections;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.Timeline.PatientTimelines;
using Recovery.Timeline.Recording;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("timeline");
builder.AddEventStore(schema: "timeline", tenantPerClinic: false, store =>
{
    store.Events.AddEventTypes(PatientEvents.All);
    store.Projections.Add<PatientTimelineProjection>(ProjectionLifecycle.Inline);
});
builder.AddPatientEventRecording();

var app = builder.Build();
app.UseServiceDefaults();
app.MapGet("/patients/{patientId}/timeline", GetTimeline.Handle).WithTags("Timeline").WithSummary("A patient's network timeline");
app.Run();
