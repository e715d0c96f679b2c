using ActorChat.Contracts;
using ActorChat.Storage;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>
/// What every store must do, run against SQLite and PostgreSQL alike (<see cref="SqliteStoreTests"/>,
/// <see cref="PostgresStoreTests"/>): one record per write, counts kept, quotas held, ids in ordinal order.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private static readonly JoinQuotas Roomy = new(MaxMemberships: 1000, MaxRoomsCreated: 1000, MaxCreationsPerWindow: 1000, CreationWindow: TimeSpan.FromHours(1));
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private OpenedStore _opened = null!;

    protected IChatStore Store => _opened.Store;

    protected StoreMetrics Metrics { get; } = StoreFactory.Metrics();

    protected static DateTimeOffset Now { get; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => _opened = await OpenAsync();

    public async Task DisposeAsync()
    {
        await _opened.DisposeAsync();
        Metrics.Dispose();
    }

    protected abstract Task<OpenedStore> OpenAsync();

    [Fact]
    public async Task A_join_creates_the_room_once_and_its_member_count_is_kept()
    {
        var room = Room("count");
        var first = await Store.JoinAsync(Join(room, User("ann")));
        var again = await Store.JoinAsync(Join(room, User("ann")));
        var second = await Store.JoinAsync(Join(room, User("bob")));

        Assert.Equal((JoinStatus.Joined, true, 1), (first.Status, first.Created, first.Room!.MemberCount));
        Assert.Equal(JoinStatus.AlreadyMember, again.Status);
        Assert.Equal((JoinStatus.Joined, false, 2), (second.Status, second.Created, second.Room!.MemberCount));
        var record = await Store.RoomAsync(room);
        Assert.Equal((2, false, false, User("ann")), (record!.MemberCount, record.IsPrivate, record.IsDirect, record.CreatedBy));

        Assert.True(await Store.LeaveAsync(room, User("ann"), direct: false));
        Assert.False(await Store.LeaveAsync(room, User("ann"), direct: false));
        Assert.Equal(1, (await Store.RoomAsync(room))!.MemberCount);
        Assert.Equal(new Admission(false, false), await Store.AdmissionAsync(room, User("ann")));
        Assert.Equal(new Admission(true, false), await Store.AdmissionAsync(room, User("bob")));
    }

    [Fact]
    public async Task The_rooms_a_users_presence_concerns_are_theirs_at_or_under_a_member_count()
    {
        var (small, big, other) = (Room("small"), Room("big"), Room("other"));
        var ann = User("ann");
        await Store.JoinAsync(Join(small, ann));
        await Store.JoinAsync(Join(big, ann));
        await Store.JoinAsync(Join(big, User("bob")));
        await Store.JoinAsync(Join(big, User("cat")));
        await Store.JoinAsync(Join(other, User("bob")));

        Assert.Equal(new[] { big, small }.Order(StringComparer.Ordinal), await Store.PresenceRoomsAsync(ann, maxMembers: 3));
        Assert.Equal([small], await Store.PresenceRoomsAsync(ann, maxMembers: 2));
        Assert.Empty(await Store.PresenceRoomsAsync(ann, maxMembers: 0));
        Assert.Equal([other], await Store.PresenceRoomsAsync(User("bob"), maxMembers: 1));
    }

    [Fact]
    public async Task Joins_that_race_create_the_room_once_and_count_each_member_once()
    {
        var room = Room("race");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Store.JoinAsync(Join(room, User($"racer{i}")))));
        Assert.All(outcomes, o => Assert.Equal(JoinStatus.Joined, o.Status));
        Assert.Single(outcomes, o => o.Created);
        Assert.Equal(20, (await Store.RoomAsync(room))!.MemberCount);

        // One user joining twice at once is one membership, counted once against the quota.
        var quotas = Roomy with { MaxMemberships = 2 };
        var twice = Room("twice");
        await Store.JoinAsync(Join(twice, User("host")));
        var same = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Store.JoinAsync(Join(twice, User("twin"), quotas: quotas))));
        Assert.Single(same, o => o.Status == JoinStatus.Joined);
        Assert.Equal(2, (await Store.RoomAsync(twice))!.MemberCount);
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(Room("other"), User("twin"), quotas: quotas))).Status);
    }

    [Fact]
    public async Task A_private_room_admits_members_and_invitees_and_a_public_name_cannot_become_private()
    {
        var closed = Room("closed");
        await Store.JoinAsync(Join(closed, User("owner"), createPrivate: true));
        Assert.Equal(JoinStatus.NotAdmitted, (await Store.JoinAsync(Join(closed, User("guest")))).Status);

        Assert.Equal(InviteOutcome.Invited, await Store.InviteAsync(Invite(closed, User("guest"), User("owner"), Now)));
        Assert.Equal(new Admission(false, true), await Store.AdmissionAsync(closed, User("guest")));
        var joined = await Store.JoinAsync(Join(closed, User("guest")));
        Assert.Equal((JoinStatus.Joined, true), (joined.Status, joined.Room!.IsPrivate));
        Assert.Empty(await Store.InvitationsAsync(User("guest")));
        Assert.Equal(InviteOutcome.AlreadyMember, await Store.InviteAsync(Invite(closed, User("guest"), User("owner"), Now)));

        var open = Room("open");
        await Store.JoinAsync(Join(open, User("owner")));
        Assert.Equal(JoinStatus.PublicExists, (await Store.JoinAsync(Join(open, User("squatter"), createPrivate: true))).Status);
        Assert.False((await Store.RoomAsync(open))!.IsPrivate);
    }

    [Fact]
    public async Task Memberships_are_bounded_per_user_and_direct_conversations_do_not_count()
    {
        var quotas = Roomy with { MaxMemberships = 2 };
        var user = User("member");
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(Room("a"), user, quotas: quotas))).Status);
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(Room("b"), user, quotas: quotas))).Status);
        var third = Room("c");
        Assert.Equal(JoinStatus.MembershipQuota, (await Store.JoinAsync(Join(third, user, quotas: quotas))).Status);
        Assert.Null(await Store.RoomAsync(third));

        var direct = ChatIds.Direct(user, User("other"));
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(direct, user, direct: true, quotas: quotas))).Status);
        Assert.True(await Store.LeaveAsync(Room("a"), user, direct: false));
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(third, user, quotas: quotas))).Status);
    }

    [Fact]
    public async Task Creations_are_bounded_per_window_and_in_all()
    {
        var quotas = Roomy with { MaxCreationsPerWindow = 2, MaxRoomsCreated = 3, CreationWindow = TimeSpan.FromHours(1) };
        var user = User("maker");
        await Store.JoinAsync(Join(Room("r1"), user, now: Now, quotas: quotas));
        await Store.JoinAsync(Join(Room("r2"), user, now: Now.AddMinutes(10), quotas: quotas));
        var refused = await Store.JoinAsync(Join(Room("r3"), user, now: Now.AddMinutes(20), quotas: quotas));
        Assert.Equal((JoinStatus.CreationQuota, Now.AddHours(1)), (refused.Status, refused.NextCreation));

        // A new window starts with the first creation after the last one ended; the total still counts.
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(Room("r3"), user, now: Now.AddHours(1).AddSeconds(1), quotas: quotas))).Status);
        var spent = await Store.JoinAsync(Join(Room("r4"), user, now: Now.AddHours(5), quotas: quotas));
        Assert.Equal((JoinStatus.CreationQuota, (DateTimeOffset?)null), (spent.Status, spent.NextCreation));

        // Joining a room that exists creates nothing and is allowed.
        await Store.JoinAsync(Join(Room("theirs"), User("else")));
        Assert.Equal(JoinStatus.Joined, (await Store.JoinAsync(Join(Room("theirs"), user, now: Now.AddHours(5), quotas: quotas))).Status);
    }

    [Fact]
    public async Task Messages_are_appended_read_by_range_and_move_their_senders_pointers()
    {
        var room = Room("log");
        var (ann, bob) = (User("ann"), User("bob"));
        await Store.JoinAsync(Join(room, ann));
        await Store.JoinAsync(Join(room, bob));
        var messages = Enumerable.Range(1, 10).Select(i => Message(room, i, i % 2 == 0 ? ann : bob, $"text {i} 你好 \"q\"", i % 3 == 0 ? $"c{i}" : null)).ToList();
        await Store.AppendAsync(room, messages[..4]);
        await Store.AppendAsync(room, messages[4..]);

        Assert.Equal(messages, await Store.ReadAsync(room, 1, 10));
        Assert.Equal(messages[2..5], await Store.ReadAsync(room, 3, 5));
        Assert.Empty(await Store.ReadAsync(room, 11, 20));
        Assert.Equal(new LogBounds(1, 10), await Store.BoundsAsync(room));
        Assert.Equal(new LogBounds(1, 0), await Store.BoundsAsync(Room("empty")));
        Assert.Equal(["c6", "c9"], (await Store.RecentClientIdsAsync(room, 5)).Select(c => c.Id));

        var memberships = (await Store.MembershipsAsync(ann)).Single();
        Assert.Equal((room, 10L, 10L), (memberships.Room, memberships.LastRead, memberships.LastSeq));
        Assert.Equal((9L, 1), ((await Store.MembershipsAsync(bob)).Single().LastRead, (await Store.MembershipsAsync(bob)).Single().Unread));

        // A pointer marked behind one's own newest message stays at that message; marked past it, it moves on.
        Assert.Equal(9, await Store.AdvanceReadAsync(room, bob, 4));
        Assert.Equal(10, await Store.AdvanceReadAsync(room, bob, 10));
        Assert.Equal(10, await Store.AdvanceReadAsync(room, ann, 2));
    }

    [Fact]
    public async Task Changes_are_logged_in_seq_order_and_applied_to_what_they_change()
    {
        var room = Room("changes");
        var (ann, bob) = (User("ann"), User("bob"));
        await Store.JoinAsync(Join(room, ann));
        await Store.JoinAsync(Join(room, bob));
        await Store.AppendAsync(room, [Message(room, 1, ann, "hello", mentions: [bob]), Message(room, 2, bob, "hi")]);
        await Store.AppendAsync(room, (RoomEvent[])
        [
            new MessageEdited(room, 3, 1, "hello there", Now.AddMinutes(1), ann),
            new ReactionChanged(room, 4, 1, "👍", bob, true, 1, Now.AddMinutes(2)),
            new ReactionChanged(room, 5, 1, "👍", ann, true, 2, Now.AddMinutes(2)),
            new MessageDeleted(room, 6, 2, bob, Now.AddMinutes(3)),
            new MemberModerated(room, 7, bob, ModerationAction.Mute, ann, Now.AddMinutes(4), Until: Now.AddHours(1)),
            new SettingsChanged(room, 8, "a topic", 30, ann, Now.AddMinutes(5)),
            new MemberModerated(room, 9, bob, ModerationAction.Role, ann, Now.AddMinutes(6), Role: RoomRole.Admin),
        ]);

        var log = await Store.ReadLogAsync(room, 1, 9);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long?)i), log.Select(e => e.Position));
        Assert.Equal(new MessageEdited(room, 3, 1, "hello there", Now.AddMinutes(1), ann), log[2]);
        Assert.Equal(new MemberModerated(room, 7, bob, ModerationAction.Mute, ann, Now.AddMinutes(4), Now.AddHours(1)), log[6]);
        Assert.Equal(new SettingsChanged(room, 8, "a topic", 30, ann, Now.AddMinutes(5)), log[7]);

        var history = await Store.HistoryAsync(room, 100, 10, bob);
        Assert.Equal(("hello there", Now.AddMinutes(1), 2, true), (history[0].Text, history[0].EditedAt, history[0].Reactions![0].Count, history[0].Reactions![0].Me));
        Assert.Equal((true, string.Empty), (history[1].Deleted, history[1].Text));
        Assert.Equal(new MemberState(RoomRole.Admin, Now.AddHours(1), Now.AddSeconds(2)), await Store.MemberStateAsync(room, bob));
        Assert.Equal(("a topic", 30), ((await Store.RoomAsync(room))!.Topic, (await Store.RoomAsync(room))!.SlowModeSeconds));
        Assert.Equal(1, await Store.CountRoleAsync(room, RoomRole.Owner));
        Assert.Equal(new LogBounds(1, 9), await Store.BoundsAsync(room));

        // A ban takes the member out, counted; a kick likewise.
        await Store.AppendAsync(room, (RoomEvent[])[new MemberModerated(room, 10, bob, ModerationAction.Ban, ann, Now, Until: null)]);
        Assert.Equal(new Ban(null, ann), await Store.BanAsync(room, bob));
        Assert.Equal(1, (await Store.RoomAsync(room))!.MemberCount);
        Assert.Equal(JoinStatus.Banned, (await Store.JoinAsync(Join(room, bob))).Status);
    }

    [Fact]
    public async Task Read_pointers_move_forward_only_and_only_for_members()
    {
        var room = Room("reads");
        await Store.JoinAsync(Join(room, User("reader")));
        Assert.Equal(5, await Store.AdvanceReadAsync(room, User("reader"), 5));
        Assert.Equal(5, await Store.AdvanceReadAsync(room, User("reader"), 3));
        Assert.Equal(7, await Store.AdvanceReadAsync(room, User("reader"), 7));
        Assert.Null(await Store.AdvanceReadAsync(room, User("stranger"), 7));
    }

    [Fact]
    public async Task Invitations_are_bounded_per_room_and_the_oldest_notices_give_way()
    {
        var (owner, guest) = (User("owner"), User("guest"));
        var rooms = Enumerable.Range(0, 4).Select(i => Room($"inv{i}")).ToList();
        foreach (var room in rooms)
        {
            await Store.JoinAsync(Join(room, owner, createPrivate: true));
        }

        for (var i = 0; i < rooms.Count; i++)
        {
            await Store.InviteAsync(Invite(rooms[i], guest, owner, Now.AddMinutes(i), maxNotices: 3));
        }

        // The cap of three notices dropped the oldest, not its admission.
        Assert.Equal(rooms[1..], (await Store.InvitationsAsync(guest)).Select(i => i.Room));
        Assert.True((await Store.AdmissionAsync(rooms[0], guest)).Invited);

        var full = Room("full");
        await Store.JoinAsync(Join(full, owner, createPrivate: true));
        Assert.Equal(InviteOutcome.Invited, await Store.InviteAsync(Invite(full, User("g1"), owner, Now, maxPerRoom: 2)));
        Assert.Equal(InviteOutcome.Invited, await Store.InviteAsync(Invite(full, User("g2"), owner, Now, maxPerRoom: 2)));
        Assert.Equal(InviteOutcome.Invited, await Store.InviteAsync(Invite(full, User("g2"), owner, Now.AddMinutes(1), maxPerRoom: 2)));
        Assert.Equal(InviteOutcome.RoomFull, await Store.InviteAsync(Invite(full, User("g3"), owner, Now, maxPerRoom: 2)));
        Assert.True(await Store.DeclineAsync(full, User("g1")));
        Assert.False(await Store.DeclineAsync(full, User("g1")));
        Assert.Equal(InviteOutcome.Invited, await Store.InviteAsync(Invite(full, User("g3"), owner, Now, maxPerRoom: 2)));
    }

    [Fact]
    public async Task Listed_rooms_are_public_with_members_in_ordinal_order()
    {
        var prefix = $"list-{_run}";
        foreach (var name in new[] { "b", "a", "c-private", "d-empty" })
        {
            await Store.JoinAsync(Join($"{prefix}-{name}", User("lister"), createPrivate: name.EndsWith("private", StringComparison.Ordinal)));
        }

        await Store.LeaveAsync($"{prefix}-d-empty", User("lister"), direct: false);
        await Store.JoinAsync(Join(ChatIds.Direct(User("lister"), User("friend")), User("lister"), direct: true));
        var listed = (await Store.ListedRoomsAsync($"{prefix}-", 100)).Where(l => l.Room.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal([new RoomListing($"{prefix}-a", 1), new RoomListing($"{prefix}-b", 1)], listed);

        // Members page by ordinal order: upper case before lower case, whatever the database's collation.
        var room = Room("order");
        foreach (var user in (string[])["bob", "Zed", "alice", "Alice"])
        {
            await Store.JoinAsync(Join(room, $"{user}{_run}"));
        }

        string[] ordinal = ["Alice", "Zed", "alice", "bob"];
        Assert.Equal(ordinal.Select(u => $"{u}{_run}"), (await Store.MembersAsync(room, null, 10)).Select(m => m.User));
        Assert.Equal(ordinal[2..].Select(u => $"{u}{_run}"), (await Store.MembersAsync(room, $"Zed{_run}", 10)).Select(m => m.User));
    }

    [Fact]
    public async Task Trimming_deletes_the_oldest_and_keeps_the_rooms_last_seq()
    {
        var room = Room("trim");
        await Store.JoinAsync(Join(room, User("ann")));
        await Store.AppendAsync(room, [.. Enumerable.Range(1, 6).Select(i => Message(room, i, User("ann"), $"m{i}"))]);

        Assert.Equal(2, await Store.TrimAsync(room, 2));
        Assert.Equal(new LogBounds(3, 6), await Store.BoundsAsync(room));
        Assert.Equal([(3L, Now.AddSeconds(3)), (4L, Now.AddSeconds(4))], await Store.OldestAsync(room, 2));
        Assert.Equal(4, await Store.TrimAsync(room, 6));
        Assert.Equal(new LogBounds(7, 6), await Store.BoundsAsync(room));
        Assert.Equal(6, (await Store.MembershipsAsync(User("ann"))).Single().LastSeq);
    }

    [Fact]
    public async Task Writes_that_wait_together_share_one_commit_and_a_bad_one_fails_alone()
    {
        var rooms = Enumerable.Range(0, 50).Select(i => Room($"g{i}")).ToList();
        foreach (var room in rooms)
        {
            await Store.JoinAsync(Join(room, User("writer")));
        }

        var before = Metrics.Commits;
        await Task.WhenAll(rooms.Select(room => Store.AppendAsync(room, [Message(room, 1, User("writer"), "first")])));
        Assert.True(Metrics.Commits - before < rooms.Count, $"{Metrics.Commits - before} commits for {rooms.Count} writes");

        // Seq 1 again in the first room, among good writes: a key violation for that write only.
        var good = rooms.Select(room => Store.AppendAsync(room, [Message(room, 2, User("writer"), "second")])).ToList();
        var clash = Store.AppendAsync(rooms[0], [Message(rooms[0], 1, User("writer"), "clash")]);
        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => clash);
        foreach (var room in rooms)
        {
            Assert.Equal(["first", "second"], (await Store.ReadAsync(room, 1, 2)).Select(m => m.Text));
        }
    }

    protected string Room(string name) => $"{name}-{_run}";

    protected string User(string name) => $"{name}{_run}";

    private static JoinCommand Join(string room, string user, bool createPrivate = false, bool direct = false, DateTimeOffset? now = null, JoinQuotas? quotas = null) =>
        new(room, user, now ?? Now, createPrivate, direct, quotas ?? Roomy);

    private static InviteCommand Invite(string room, string user, string by, DateTimeOffset at, int maxPerRoom = 100, int maxNotices = 100) =>
        new(room, user, by, at, maxPerRoom, maxNotices);

    private static ChatMessage Message(string room, long seq, string from, string text, string? clientMsgId = null, IReadOnlyList<string>? mentions = null) =>
        new(room, seq, from, text, Now.AddSeconds(seq), clientMsgId, Mentions: mentions);
}

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-store-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<OpenedStore> OpenAsync() =>
        StoreFactory.OpenAsync(new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = _directory }, metrics: Metrics);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContractTests
{
    protected override Task<OpenedStore> OpenAsync() =>
        StoreFactory.OpenAsync(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = postgres.ConnectionString }, metrics: Metrics);
}
