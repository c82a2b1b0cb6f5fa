extern alias counseling;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.Extensions.Logging.Abstractions;
using counseling::Recovery.Counseling.HelpGroups;
using Weasel.Core;

namespace Recovery.Integration.Tests;

/// <summary>
/// A help group's storage against the real PostgreSQL, as the Counseling service configures it: the group's document holds no
/// members and each member is a document of their own, written with the group's events; a store from before keeps the roster
/// in the group's document, and the split at start turns it into the same documents, once.
/// </summary>
public class HelpGroupStorageTests
{
    private const string Clinic = "clinic-groups-test";
    private static readonly Guid[] Patients = Enumerable.Range(1, 5).Select(i => Guid.Parse($"0190c000-0000-7000-8000-0000000000{i:x2}")).ToArray();
    private static readonly DateOnly Monday = new(2026, 10, 26);

    [Fact]
    public async Task The_group_is_stored_without_its_members_and_each_member_beside_it_as_the_whole_fold_gives()
    {
        using var store = Store("help_group_members_test", old: false);
        await store.Advanced.Clean.CompletelyRemoveAllAsync();
        var groupId = Guid.NewGuid();
        var events = Events(groupId);
        await Append(store, groupId, events);

        await using var query = store.QuerySession(Clinic);
        var group = await query.LoadAsync<HelpGroup>(groupId);
        Assert.NotNull(group);
        Assert.Empty(group.Members);
        var members = await Members(query, groupId);
        var whole = HelpGroupEvolution.Fold(events);
        Assert.Equal(whole.Members.Count(m => m.Current is not null), group.EnrolledCount);
        Assert.Equal(Json(whole), Json(group.WithMembers(members)));
        // Another clinic has no such group, and none of its members.
        await using var other = store.QuerySession("clinic-elsewhere-test");
        Assert.Empty(await Members(other, groupId));
    }

    [Fact]
    public async Task A_group_stored_with_its_roster_is_split_once_and_its_members_go_on_from_there()
    {
        const string schema = "help_group_split_test";
        using (var before = Store(schema, old: true))
        {
            await before.Advanced.Clean.CompletelyRemoveAllAsync();
        }
        var groupId = Guid.NewGuid();
        var events = Events(groupId);
        using (var before = Store(schema, old: true))
        {
            await Append(before, groupId, events);
            await using var query = before.QuerySession(Clinic);
            Assert.Equal(Patients.Length, (await query.LoadAsync<HelpGroup>(groupId))!.Members.Count);
        }

        using var store = Store(schema, old: false);
        var split = new HelpGroupMembersSplit(store, NullLogger<HelpGroupMembersSplit>.Instance);
        await split.StartAsync(CancellationToken.None);
        await split.StartAsync(CancellationToken.None); // a second start finds nothing to split

        var whole = HelpGroupEvolution.Fold(events);
        await using (var query = store.QuerySession(Clinic))
        {
            var group = (await query.LoadAsync<HelpGroup>(groupId))!;
            Assert.Empty(group.Members);
            Assert.Equal(whole.Members.Count(m => m.Current is not null), group.EnrolledCount);
            Assert.Equal(Json(whole), Json(group.WithMembers(await Members(query, groupId))));
        }

        // The next facts are projected onto the split documents: a member who was there, and one who joins after.
        var newcomer = Guid.NewGuid();
        object[] next =
        [
            new HelpGroupMeetingAttended(groupId, Patients[0], null, Monday.AddDays(7)),
            new HelpGroupEnrolled(groupId, "Evening group", newcomer, null, Monday.AddDays(7)),
        ];
        await Append(store, groupId, next);
        await using (var query = store.QuerySession(Clinic))
        {
            var group = (await query.LoadAsync<HelpGroup>(groupId))!;
            var members = await Members(query, groupId);
            Assert.Equal(newcomer, members[^1].PatientId);
            Assert.Equal(Json(HelpGroupEvolution.Fold(events.Concat(next))), Json(group.WithMembers(members)));
        }
    }

    /// <summary>Five members: enrolments, meetings attended and missed, one who leaves and one who leaves and comes back.</summary>
    private static object[] Events(Guid groupId) =>
    [
        new HelpGroupCreated(groupId, "Evening group", [DayOfWeek.Monday], new TimeOnly(19, 0), "facilitator-1", DateTimeOffset.UtcNow.AddDays(-90)),
        .. Patients.Select(p => new HelpGroupEnrolled(groupId, "Evening group", p, null, Monday.AddDays(-28))),
        .. Patients.Select((p, i) => i % 2 == 0
            ? (object)new HelpGroupMeetingAttended(groupId, p, null, Monday.AddDays(-21))
            : new HelpGroupMeetingMissed(groupId, p, null, Monday.AddDays(-21))),
        new HelpGroupLeft(groupId, Patients[1], Monday.AddDays(-20)),
        new HelpGroupLeft(groupId, Patients[2], Monday.AddDays(-20)),
        new HelpGroupEnrolled(groupId, "Evening group", Patients[2], null, Monday.AddDays(-7)),
        new HelpGroupMeetingAttended(groupId, Patients[2], null, Monday),
    ];

    private static async Task Append(IDocumentStore store, Guid groupId, IEnumerable<object> events)
    {
        // One command's events at a time, as the service appends them.
        foreach (var e in events)
        {
            await using var session = store.LightweightSession(Clinic);
            session.Events.Append(groupId, e);
            await session.SaveChangesAsync();
        }
    }

    private static async Task<IReadOnlyList<GroupMember>> Members(IQuerySession query, Guid groupId) =>
        HelpGroupMember.Roster((await query.Query<HelpGroupMember>().Where(m => m.GroupId == groupId).ToListAsync()).Select(m => m.ToMember()));

    /// <summary>A group as JSON, its members in the roster's order (the whole fold keeps them in the order they joined).</summary>
    private static string Json(HelpGroup group) => JsonSerializer.Serialize(group.WithMembers(HelpGroupMember.Roster(group.Members)));

    /// <summary>
    /// The Counseling service's help-group storage (Program.cs), or, <paramref name="old"/>, a build from before the member
    /// documents: the group's document folded whole, roster and all.
    /// </summary>
    private static DocumentStore Store(string schema, bool old) => DocumentStore.For(o =>
    {
        o.Connection(Platform.ConnectionString);
        o.DatabaseSchemaName = schema;
        o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        o.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        o.Events.TenancyStyle = TenancyStyle.Conjoined;
        o.Policies.AllDocumentsAreMultiTenanted();
        if (old)
        {
            o.Projections.Add<WholeGroupProjection>(ProjectionLifecycle.Inline);
            return;
        }
        HelpGroupStorage.Configure(o);
    });

    /// <summary>The group's document as the build before the member documents folded it.</summary>
    private sealed class WholeGroupProjection : SingleStreamProjection<HelpGroup, Guid>
    {
        public WholeGroupProjection()
        {
            IncludeType<HelpGroupCreated>();
            IncludeType<HelpGroupEnrolled>();
            IncludeType<HelpGroupLeft>();
            IncludeType<HelpGroupMeetingAttended>();
            IncludeType<HelpGroupMeetingMissed>();
        }

        // The old build kept no enrolled count.
        public override HelpGroup Evolve(HelpGroup? snapshot, Guid id, IEvent e) =>
            HelpGroupEvolution.Evolve(snapshot, e.Data) with { EnrolledCount = 0 };
    }
}
