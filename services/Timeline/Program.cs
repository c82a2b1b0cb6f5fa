using JasperFx.Events.Projections;
using Recovery.BuildingBlocks;
using Recovery.BuildingBlocks.EventStore;
using Recovery.BuildingBlocks.Messaging;
using Recovery.Timeline.PatientTimelines;
using Recovery.Timeline.Publishing;
using Recovery.Timeline.Recording;
using Recovery.Timeline;
using Recovery.Timeline.Analytics;
using Recovery.Timeline.Rebuilding;
using Recovery.Timeline.Sharing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("timeline");
builder.Services.AddSingleton(Pseudonyms.From(builder.Configuration));
builder.Services.AddSingleton(new SmallCellRule(
    builder.Configuration.GetSection(AnalyticsSettings.Section).Get<AnalyticsSettings>()?.MinimumCellSize ?? new AnalyticsSettings().MinimumCellSize));
builder.AddEventStore(schema: "timeline", tenantPerClinic: false, store =>
    {
        store.Events.AddEventTypes(PatientEvents.All);
        store.Projections.Add<PatientTimelineProjection>(ProjectionLifecycle.Inline);
        store.Projections.Add<ConsentProjection>(ProjectionLifecycle.Inline);
        store.Projections.Add<PatientOutcomesProjection>(ProjectionLifecycle.Async);
        // The timeline's entries, one document each: read by patient (and clinic), ordered and paged by clinical time.
        TimelineStorage.Configure(store);
        // Each episode's outcome as the statistics read it, a row of plain columns beside the patient's outcomes.
        EpisodeCohorts.Configure(store);
        store.Schema.For<Consent>().Index(c => c.PatientId);
        store.Schema.For<Disclosure>().Index(d => d.PatientId);
    })
    .ForwardIntegrationEvents<SharingIntegrationEvents>(builder.Configuration);
builder.AddTimelineConsumers();
builder.Services.AddSingleton<ProjectionRebuilds>();
// After the schema is applied (Marten's hosted service starts first): a store from before the cohort table gets it filled.
builder.Services.AddHostedService<EpisodeCohortFill>();

var app = builder.Build();
// The web view (wwwroot): plain pages that need no token to load; their data comes from the API with the user's token.
// Before the service defaults, so the deny-by-default authorization never sees these files.
app.UseStaticFiles();
app.UseServiceDefaults();

app.MapTimelineApi();
// The bus contract for integrators (docs/events.md): the network record hears every exchange, so it describes them.
app.MapAsyncApiDocument();
app.Run();
