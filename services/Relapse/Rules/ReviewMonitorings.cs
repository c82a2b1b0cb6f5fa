using Recovery.BuildingBlocks.Messaging;
using Recovery.BuildingBlocks.Time;
using Marten;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Protocols;
using Recovery.Relapse.Monitorings;

namespace Recovery.Relapse.Rules;

public sealed record ReviewResult(DateOnly AsOf, string Rule, int Reviewed, int RelapsesDetected);

/// <summary>
/// The weekly review a clinic schedules: weeks pass without any fact being recorded, and a week that ends without
/// a screen is itself evidence, so every open monitoring is evaluated as of today.
/// </summary>
public static class MonitoringReview
{
    public static Decision Decide(Monitoring monitoring, RelapseCheck check, DateOnly today) =>
        monitoring.IsOpen ? Decision.Accept(RelapseDetection.After(monitoring, [], check, today)) : Decision.Accept();

    // A batch over every monitoring of the clinic in one transaction: it stays explicit, outside the one-stream command table.
    internal static async Task<IResult> Handle(IDocumentSession session, ClinicProtocols<RelapseProtocol> protocols, ClinicClock clock,
        CancellationToken ct)
    {
        var today = clock.Now(session.TenantId).Today;
        var check = await ClinicRelapseRules.CheckFor(session, session.TenantId, protocols, ct);
        var open = await session.Query<Monitoring>().Where(m => m.Status == MonitoringStatus.Monitoring).Select(m => m.Id).ToListAsync(ct);
        var detected = await ConsumerStreams.DecideEach<Monitoring>(session, open, m => Decide(m, check, today), null, ct);
        // One transaction: a review that meets a concurrent change is refused whole (409) and can simply be run again.
        await session.SaveChangesAsync(ct);
        return Results.Ok(new ReviewResult(today, check.Rule, open.Count, detected));
    }
}
