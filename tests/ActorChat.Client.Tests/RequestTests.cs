using System.Text.Json;
using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>Typed requests: each returns its ok as a record, or throws a <see cref="ChatException"/> with the protocol's code.</summary>
[Collection(ServerCollection.Name)]
public sealed class RequestTests(ChatServer server)
{
    [Fact]
    public async Task Requests_return_their_results_typed()
    {
        var room = NewRoom("typed");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await ConnectedAsync(server, aliceId);
        await using var bob = await ConnectedAsync(server, bobId);

        var joined = await alice.JoinAsync(room);
        Assert.Equal((room, 0L, 1, true, false), (joined.Room, joined.LastSeq, joined.MemberCount, joined.Recovered, joined.IsPrivate));
        await bob.JoinAsync(room);

        var sent = await alice.SendAsync(room, "hello 世界 👋", clientMsgId: "c1");
        Assert.Equal((room, 1L), (sent.Room, sent.Seq));
        Assert.Equal(sent, await alice.SendAsync(room, "hello 世界 👋", clientMsgId: "c1"));

        var history = await bob.HistoryAsync(room);
        var only = Assert.Single(history.Messages);
        Assert.Equal((aliceId, "hello 世界 👋", "c1", 1L, false), (only.From, only.Text, only.ClientMsgId, only.Seq, history.HasMore));

        var members = await alice.MembersAsync(room);
        Assert.Equal(new[] { aliceId, bobId }.Order(StringComparer.Ordinal), members.Members.Select(m => m.User));
        Assert.All(members.Members, m => Assert.True(m.Online));

        Assert.Equal(1, (await bob.ReadAsync(room, 1)).Seq);
        var mine = Assert.Single(await bob.RoomsAsync(), r => r.Room == room);
        Assert.Equal((1L, 1L, 0L), (mine.LastSeq, mine.LastRead, mine.Unread));

        var direct = await alice.DirectMessageAsync(bobId, "psst");
        Assert.Equal(string.CompareOrdinal(aliceId, bobId) < 0 ? $"dm:{aliceId}:{bobId}" : $"dm:{bobId}:{aliceId}", direct.Room);

        var page = await alice.BrowseAsync(limit: 500, watch: false);
        Assert.Contains(page.Rooms, r => r.Room == room && r.Members == 2);

        var club = NewRoom("club");
        Assert.True((await alice.JoinAsync(club, isPrivate: true)).IsPrivate);
        Assert.Equal(new MemberResult(club, bobId), await alice.InviteAsync(club, bobId));
        Assert.Contains(await bob.InvitationsAsync(), i => i.Room == club && i.By == aliceId);
        await bob.DeclineAsync(club);
        Assert.DoesNotContain(await bob.InvitationsAsync(), i => i.Room == club);

        Assert.NotNull(bob.PositionOf(room));
        await bob.LeaveAsync(room);
        Assert.Null(bob.PositionOf(room));

        var raw = await alice.RequestAsync("ping");
        Assert.Equal(JsonValueKind.String, raw.GetProperty("ts").ValueKind);
    }

    [Fact]
    public async Task A_refusal_throws_a_ChatException_with_the_protocol_code_and_the_connection_stays_usable()
    {
        var room = NewRoom("refusing");
        await using var owner = await ConnectedAsync(server, NewUser("owner"));
        await owner.JoinAsync(room);
        await using var chat = await ConnectedAsync(server, NewUser("outsider"));

        Assert.Equal(ChatErrorCodes.NotMember, (await Assert.ThrowsAsync<ChatException>(() => chat.SendAsync(room, "let me in"))).Code);
        Assert.Equal(ChatErrorCodes.BadRoom, (await Assert.ThrowsAsync<ChatException>(() => chat.JoinAsync("Not A Room"))).Code);
        Assert.Equal(ChatErrorCodes.UnknownType, (await Assert.ThrowsAsync<ChatException>(() => chat.RequestAsync("fly"))).Code);
        await chat.PingAsync();
    }
}

/// <summary>A refusal for now carries when to try again.</summary>
public sealed class RateLimitTests(TightBudgetServer server) : IClassFixture<TightBudgetServer>
{
    [Fact]
    public async Task A_rate_limited_request_throws_with_retry_after()
    {
        await using var chat = await ConnectedAsync(server, NewUser("hasty"), ChatAuthMode.BearerHeader);
        ChatException? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            try
            {
                await chat.PingAsync();
            }
            catch (ChatException ex)
            {
                limited = ex;
            }
        }

        Assert.Equal(ChatErrorCodes.RateLimited, limited?.Code);
        Assert.True(limited!.RetryAfter > TimeSpan.Zero, $"retryAfterMs {limited.RetryAfterMs}");
    }
}
