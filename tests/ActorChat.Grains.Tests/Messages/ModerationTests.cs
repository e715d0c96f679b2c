using ActorChat.Contracts;
using Microsoft.Data.Sqlite;

namespace ActorChat.Grains.Tests.Messages;

/// <summary>Roles, kicks, bans, mutes and slow mode: who may do what to whom, and for how long (on the fake clock).</summary>
[Collection(ClockedCollection.Name)]
public sealed class ModerationTests(ClockedFixture fixture)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private string Owner => $"owner{_run}";

    private string Admin => $"admin{_run}";

    private string Member => $"member{_run}";

    [Fact]
    public async Task Only_owners_and_admins_moderate_and_nobody_acts_on_an_owner()
    {
        var room = await RoomAsync("rights");
        foreach (var attempt in new Func<Task>[]
        {
            () => room.SetRole(Member, Admin, RoomRole.Member),
            () => room.Moderate(Member, Admin, ModerationAction.Kick, null),
            () => room.Configure(Member, "mine now", null),
        })
        {
            Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(attempt)).Code);
        }

        // An admin cannot demote, ban, mute or make an owner, nor act on another admin.
        foreach (var attempt in new Func<Task>[]
        {
            () => room.SetRole(Admin, Owner, RoomRole.Member),
            () => room.Moderate(Admin, Owner, ModerationAction.Ban, null),
            () => room.Moderate(Admin, Owner, ModerationAction.Mute, null),
            () => room.SetRole(Admin, Member, RoomRole.Owner),
        })
        {
            Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(attempt)).Code);
        }

        // The last owner may neither leave nor step down without handing over; once another owns it, both may.
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.Leave(Owner))).Code);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.SetRole(Owner, Owner, RoomRole.Member))).Code);
        await room.SetRole(Owner, Admin, RoomRole.Owner);
        Assert.True(await room.Leave(Owner));
        var roles = (await room.Members(Admin, null, 10)).Members.ToDictionary(m => m.User, m => m.Role);
        Assert.Equal(RoomRole.Owner, roles[Admin]);
    }

    [Fact]
    public async Task A_kicked_member_is_out_and_may_come_back_a_banned_one_only_after_the_ban()
    {
        var room = await RoomAsync("ban");
        await room.Moderate(Admin, Member, ModerationAction.Kick, null);
        Assert.False(await room.IsMember(Member));
        await room.Join(Member);

        var until = fixture.Clock.GetUtcNow().AddHours(2);
        await room.Moderate(Owner, Member, ModerationAction.Ban, until);
        Assert.False(await room.IsMember(Member));
        var refused = await Assert.ThrowsAsync<ChatException>(() => room.Join(Member));
        Assert.Equal((ChatErrorCode.Forbidden, until), (refused.Code, refused.RetryAt!.Value));

        fixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        await room.Join(Member);

        // Banned for good, until lifted.
        await room.Moderate(Admin, Member, ModerationAction.Ban, null);
        fixture.Clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.Join(Member))).Code);
        await room.Moderate(Admin, Member, ModerationAction.Unban, null);
        await room.Join(Member);

        // Each of these is in the log, for everyone following the room.
        var log = (await room.ReadLog(0, 100)).Entries.OfType<MemberModerated>().Select(m => m.Action);
        Assert.Equal([ModerationAction.Role, ModerationAction.Kick, ModerationAction.Ban, ModerationAction.Ban, ModerationAction.Unban], log);
    }

    [Fact]
    public async Task A_muted_member_reads_but_cannot_send_react_or_type_until_the_mute_ends()
    {
        var room = await RoomAsync("mute");
        var sent = await room.Post(Owner, new MessageDraft("hello", null));
        await room.Moderate(Admin, Member, ModerationAction.Mute, fixture.Clock.GetUtcNow().AddMinutes(10));
        foreach (var attempt in new Func<Task>[]
        {
            () => room.Post(Member, new MessageDraft("let me speak", null)),
            () => room.React(Member, sent.Seq, "👍", true),
            () => room.Typing(Member),
        })
        {
            Assert.Equal(ChatErrorCode.Muted, (await Assert.ThrowsAsync<ChatException>(attempt)).Code);
        }

        Assert.Single((await room.History(Member, null, 10)).Messages);
        fixture.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await room.Post(Member, new MessageDraft("back", null));

        await room.Moderate(Admin, Member, ModerationAction.Mute, null);
        Assert.Equal(ChatErrorCode.Muted, (await Assert.ThrowsAsync<ChatException>(() => room.Post(Member, new MessageDraft("x", null)))).Code);
        await room.Moderate(Admin, Member, ModerationAction.Unmute, null);
        await room.Post(Member, new MessageDraft("free", null));
    }

    [Fact]
    public async Task Slow_mode_spaces_a_members_messages_and_says_when_the_next_is_allowed()
    {
        var room = await RoomAsync("slow");
        await room.Configure(Owner, "slow talk", ClockedFixture.SlowModeSeconds);
        var info = await room.Info();
        Assert.Equal(("slow talk", ClockedFixture.SlowModeSeconds), (info.Topic, info.SlowModeSeconds));

        var first = await room.Post(Member, new MessageDraft("one", null));
        var refused = await Assert.ThrowsAsync<ChatException>(() => room.Post(Member, new MessageDraft("two", null)));
        Assert.Equal((ChatErrorCode.SlowMode, first.Ts.AddSeconds(ClockedFixture.SlowModeSeconds)), (refused.Code, refused.RetryAt!.Value));

        // Owners and admins are not held.
        await room.Post(Admin, new MessageDraft("a", null));
        await room.Post(Admin, new MessageDraft("b", null));

        fixture.Clock.Advance(TimeSpan.FromSeconds(ClockedFixture.SlowModeSeconds));
        await room.Post(Member, new MessageDraft("two", null));
        await room.Configure(Owner, null, 0);
        await room.Post(Member, new MessageDraft("three", null));
    }

    [Fact]
    public async Task Slow_mode_turned_on_counts_from_a_members_last_message_even_one_sent_before_leaving_and_joining_again()
    {
        var room = await RoomAsync("slow-return");
        var earlier = await room.Post(Member, new MessageDraft("before leaving", null));
        await room.Leave(Member);

        // Joined again while the room has no slow mode: the room knows the new membership without asking the store
        // when the member last sent, and must ask once slow mode is on.
        await room.Join(Member);
        await room.Configure(Owner, null, ClockedFixture.SlowModeSeconds);
        var refused = await Assert.ThrowsAsync<ChatException>(() => room.Post(Member, new MessageDraft("straight back", null)));
        Assert.Equal((ChatErrorCode.SlowMode, earlier.Ts.AddSeconds(ClockedFixture.SlowModeSeconds)), (refused.Code, refused.RetryAt!.Value));
    }

    [Fact]
    public async Task An_erased_user_leaves_nothing_in_storage()
    {
        var room = await RoomAsync("erase");
        var erased = $"forget{_run}";
        await room.Join(erased);
        var words = $"words-of-{_run}";
        var mine = await room.Post(erased, new MessageDraft(words, $"cid-{_run}", Mentions: [Owner]));
        await room.Edit(erased, mine.Seq, $"{words}-edited");
        var theirs = await room.Post(Owner, new MessageDraft("hi", null, Mentions: [erased]));
        await room.React(erased, theirs.Seq, "👍", true);
        var dm = fixture.Client.GetGrain<IRoomGrain>(ChatIds.Direct(erased, Owner));
        await dm.Post(erased, new MessageDraft($"{words}-direct", null));
        var closed = fixture.Client.GetGrain<IRoomGrain>($"closed-{_run}");
        await closed.JoinPrivate(Owner);
        await closed.Invite(Owner, erased);

        var touched = await fixture.Client.GetGrain<IUserGrain>(erased).Erase();
        Assert.Equal(3, touched.Count);

        // Its direct conversations go whole: their very name is the erased user's.
        Assert.False((await dm.Info()).Exists);

        Assert.Empty(RowsContaining(erased));
        Assert.Empty(RowsContaining(words));
        Assert.Empty(RowsContaining($"cid-{_run}"));

        // What others see: tombstones where the messages were, counts without them, and the room carries on.
        var history = (await room.History(Owner, null, 20)).Messages;
        Assert.All(history.Where(m => m.Seq == mine.Seq), m => Assert.Equal((true, string.Empty, string.Empty), (m.Deleted, m.From, m.Text)));
        Assert.Null(history.Single(m => m.Seq == theirs.Seq).Reactions);
        Assert.Equal(3, (await room.Info()).MemberCount);
        Assert.False(await room.IsMember(erased));
    }

    /// <summary>A room with an owner, an admin and a member.</summary>
    private async Task<IRoomGrain> RoomAsync(string name)
    {
        var room = fixture.Client.GetGrain<IRoomGrain>($"{name}-{_run}");
        await room.Join(Owner);
        await room.Join(Admin);
        await room.Join(Member);
        await room.SetRole(Owner, Admin, RoomRole.Admin);
        return room;
    }

    private List<string> RowsContaining(string text)
    {
        using var connection = new SqliteConnection($"Data Source={fixture.Database}");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var found = new List<string>();
        foreach (var table in tables)
        {
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string value && value.Contains(text, StringComparison.Ordinal))
                    {
                        found.Add($"{table}.{reader.GetName(i)}: {value}");
                    }
                }
            }
        }

        return found;
    }
}
