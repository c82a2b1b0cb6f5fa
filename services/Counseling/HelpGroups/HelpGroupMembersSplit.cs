using Marten;

namespace Recovery.Counseling.HelpGroups;

/// <summary>
/// At start, after the schema is applied: a store from before the members were documents of their own keeps each group's
/// roster inside the group's document. Each such group is split, once: its members become <see cref="HelpGroupMember"/>
/// documents and the group keeps its own details and enrolled count. Under the group stream's lock, so a
/// command on the group waits for it; a group already split is left alone.
/// </summary>
public sealed class HelpGroupMembersSplit(IDocumentStore store, ILogger<HelpGroupMembersSplit> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var schema = store.Options.Events.DatabaseSchemaName;
        var unsplit = await query.AdvancedSql.QueryAsync<string>(
            $"select tenant_id || '/' || id from {schema}.mt_doc_helpgroup where jsonb_array_length(coalesce(data -> 'members', '[]')) > 0",
            cancellationToken);
        foreach (var key in unsplit)
        {
            var (tenant, groupId) = (key[..key.LastIndexOf('/')], Guid.Parse(key[(key.LastIndexOf('/') + 1)..]));
            var members = await Split(tenant, groupId, cancellationToken);
            logger.LogInformation("Split help group {GroupId} of {Clinic}: {Members} members stored on their own", groupId, tenant, members);
        }
    }

    private async Task<int> Split(string tenant, Guid groupId, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        var stream = await session.Events.FetchForExclusiveWriting<HelpGroup>(groupId, ct);
        if (stream.Aggregate is not { Members.Count: > 0 } group) return 0;
        foreach (var member in group.Members) session.Store(HelpGroupMember.Of(groupId, member));
        session.Store(group.WithMembers([]) with { EnrolledCount = group.Members.Count(m => m.Current is not null) });
        await session.SaveChangesAsync(ct);
        return group.Members.Count;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
