using System.Text.Json;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ChatTests(ChatServer server)
{
    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Two_users_chat_both_ways_in_a_room()
    {
        var room = NewRoom("chat");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await using var bob = await server.ConnectAsync(bobId);

        var joined = await alice.OkAsync("join", ("room", room));
        Assert.Equal(0, joined.GetProperty("lastSeq").GetInt64());
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        await bob.OkAsync("join", ("room", room));

        var sent = await alice.OkAsync("send", ("room", room), ("text", "hi bob"));
        Assert.Equal(1, sent.Seq());
        await bob.OkAsync("send", ("room", room), ("text", "hi alice"));

        var atBob = await bob.MessagesAsync(room, 2);
        var atAlice = await alice.MessagesAsync(room, 2);
        Assert.Equal([(1L, aliceId, "hi bob"), (2L, bobId, "hi alice")], atBob.Select(m => (m.Seq(), m.Str("from"), m.Str("text"))));
        Assert.Equal([(1L, aliceId, "hi bob"), (2L, bobId, "hi alice")], atAlice.Select(m => (m.Seq(), m.Str("from"), m.Str("text"))));
    }

    [Fact]
    public async Task A_user_who_has_not_joined_sees_nothing_of_the_room()
    {
        var room = NewRoom("quiet");
        await using var alice = await server.ConnectAsync(NewUser("alice"));
        await using var carol = await server.ConnectAsync(NewUser("carol"));
        await alice.OkAsync("join", ("room", room));
        await alice.OkAsync("send", ("room", room), ("text", "before carol"));
        await alice.OkAsync("send", ("room", room), ("text", "still before"));

        // Joining without `since` starts after lastSeq: the first message carol sees is the one sent after.
        var joined = await carol.OkAsync("join", ("room", room));
        Assert.Equal(2, joined.GetProperty("lastSeq").GetInt64());
        await alice.OkAsync("send", ("room", room), ("text", "after carol"));

        var first = await carol.NextEventAsync(e => e.Type() == "message");
        Assert.Equal((3L, "after carol"), (first.Seq(), first.Str("text")));
    }

    [Fact]
    public async Task Join_with_since_replays_exactly_the_missed_messages_while_live_traffic_races()
    {
        var room = NewRoom("resume");
        var readerId = NewUser("reader");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));

        long lastSeen;
        await using (var first = await server.ConnectAsync(readerId))
        {
            await first.OkAsync("join", ("room", room));
            for (var i = 0; i < 10; i++)
            {
                await writer.OkAsync("send", ("room", room), ("text", $"early {i}"));
            }

            lastSeen = (await first.MessagesAsync(room, 10))[^1].Seq();
        }

        for (var i = 0; i < 60; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"missed {i}"));
        }

        // Live sends keep coming while the reader reconnects and replays.
        var live = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                await writer.OkAsync("send", ("room", room), ("text", $"live {i}"));
            }
        });

        await using var again = await server.ConnectAsync(readerId);
        var joined = await again.OkAsync("join", ("room", room), ("since", lastSeen));
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        await live;

        var received = await again.MessagesAsync(room, 120);
        Assert.Equal(Enumerable.Range(11, 120).Select(i => (long)i), received.Select(m => m.Seq()));
        await writer.OkAsync("ping");
        Assert.DoesNotContain(again.Drain(), e => e.Type() == "message");
    }

    [Fact]
    public async Task The_ok_of_a_join_comes_before_the_replayed_messages()
    {
        var room = NewRoom("order");
        var userId = NewUser("ord");
        await using var writer = await server.ConnectAsync(NewUser("w"));
        await writer.OkAsync("join", ("room", room));
        for (var i = 0; i < 5; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"m{i}"));
        }

        await using var reader = await server.ConnectAsync(userId);

        // Sent raw, without a pending id, so the reply is queued in arrival order with the events.
        await reader.SendTextAsync(JsonSerializer.Serialize(new { id = "raw-join", type = "join", room, since = 2 }));
        var frames = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            frames.Add(await reader.NextEventAsync(e => e.Type() is "ok" or "message"));
        }

        Assert.Equal("ok", frames[0].Type());
        Assert.Equal([3L, 4, 5], frames.Skip(1).Select(f => f.Seq()));
    }

    [Fact]
    public async Task A_direct_message_reaches_every_connection_of_the_recipient()
    {
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await using var bobPhone = await server.ConnectAsync(bobId);
        await using var bobLaptop = await server.ConnectAsync(bobId);

        var sent = await alice.OkAsync("dm", ("to", bobId), ("text", "psst"), ("clientMsgId", "c-1"));
        var expectedRoom = string.CompareOrdinal(aliceId, bobId) < 0 ? $"dm:{aliceId}:{bobId}" : $"dm:{bobId}:{aliceId}";
        Assert.Equal(expectedRoom, sent.Str("room"));

        foreach (var bob in new[] { bobPhone, bobLaptop })
        {
            var message = await bob.NextEventAsync(e => e.Type() == "message");
            Assert.Equal((expectedRoom, 1L, aliceId, "psst", "c-1"), (message.Str("room"), message.Seq(), message.Str("from"), message.Str("text"), message.Str("clientMsgId")));
        }

        // The dm room is an ordinary room for its two users: history and unread counts work.
        var rooms = await bobPhone.OkAsync("rooms");
        var dm = Assert.Single(rooms.GetProperty("rooms").EnumerateArray(), r => r.Str("room") == expectedRoom);
        Assert.Equal(1, dm.GetProperty("unread").GetInt64());

        // What one wrote oneself is read: the sender's pointer moved with the send.
        var aliceRooms = await alice.OkAsync("rooms");
        var own = Assert.Single(aliceRooms.GetProperty("rooms").EnumerateArray(), r => r.Str("room") == expectedRoom);
        Assert.Equal((1L, 0L), (own.GetProperty("lastRead").GetInt64(), own.GetProperty("unread").GetInt64()));
        var history = await bobLaptop.OkAsync("history", ("room", expectedRoom));
        Assert.Equal("psst", Assert.Single(history.GetProperty("messages").EnumerateArray()).Str("text"));
    }

    [Fact]
    public async Task Typing_and_read_events_reach_the_others_in_the_room()
    {
        var room = NewRoom("signals");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await using var bob = await server.ConnectAsync(bobId);
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));

        await alice.OkAsync("typing", ("room", room));
        var typing = await bob.NextEventAsync(e => e.Type() == "typing");
        Assert.Equal((room, aliceId), (typing.Str("room"), typing.Str("user")));

        var sent = await alice.OkAsync("send", ("room", room), ("text", "read me"));
        await bob.MessagesAsync(room, 1);
        var read = await bob.OkAsync("read", ("room", room), ("seq", sent.Seq()));
        Assert.Equal(1, read.Seq());
        var readEvent = await alice.NextEventAsync(e => e.Type() == "read");
        Assert.Equal((room, bobId, 1L), (readEvent.Str("room"), readEvent.Str("user"), readEvent.Seq()));

        var rooms = await bob.OkAsync("rooms");
        var entry = Assert.Single(rooms.GetProperty("rooms").EnumerateArray(), r => r.Str("room") == room);
        Assert.Equal((1L, 1L, 0L), (entry.GetProperty("lastSeq").GetInt64(), entry.GetProperty("lastRead").GetInt64(), entry.GetProperty("unread").GetInt64()));

        // Alice's own typing never came back to her: the next signal she sees is bob's read.
        Assert.DoesNotContain(alice.Drain(), e => e.Type() == "typing");
    }

    [Fact]
    public async Task Presence_tells_members_who_comes_online_and_goes_offline()
    {
        var room = NewRoom("presence");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await alice.OkAsync("join", ("room", room));
        await using (var bob = await server.ConnectAsync(bobId))
        {
            await bob.OkAsync("join", ("room", room));
            var joinedEvent = await alice.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == bobId);
            Assert.Equal("joined", joinedEvent.Str("status"));
            var members = await alice.OkAsync("members", ("room", room));
            Assert.Contains(members.GetProperty("members").EnumerateArray(), m => m.Str("user") == bobId && m.GetProperty("online").GetBoolean());
        }

        var offline = await alice.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == bobId);
        Assert.Equal("offline", offline.Str("status"));

        await using var bobAgain = await server.ConnectAsync(bobId);
        var online = await alice.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == bobId);
        Assert.Equal("online", online.Str("status"));
    }

    [Fact]
    public async Task History_pages_back_through_a_room()
    {
        var room = NewRoom("history");
        await using var alice = await server.ConnectAsync(NewUser("alice"));
        await alice.OkAsync("join", ("room", room));
        for (var i = 1; i <= 75; i++)
        {
            await alice.OkAsync("send", ("room", room), ("text", $"m{i}"));
        }

        var newest = await alice.OkAsync("history", ("room", room));
        var seqs = newest.GetProperty("messages").EnumerateArray().Select(m => m.Seq()).ToList();
        Assert.Equal(Enumerable.Range(26, 50).Select(i => (long)i), seqs);
        Assert.True(newest.GetProperty("hasMore").GetBoolean());

        var older = await alice.OkAsync("history", ("room", room), ("before", 26), ("limit", 200));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), older.GetProperty("messages").EnumerateArray().Select(m => m.Seq()));
        Assert.False(older.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task A_repeated_client_message_id_is_stored_once()
    {
        var room = NewRoom("dedup");
        await using var alice = await server.ConnectAsync(NewUser("alice"));
        await alice.OkAsync("join", ("room", room));
        var first = await alice.OkAsync("send", ("room", room), ("text", "once"), ("clientMsgId", "abc"));
        var retry = await alice.OkAsync("send", ("room", room), ("text", "once"), ("clientMsgId", "abc"));
        Assert.Equal(first.Seq(), retry.Seq());
        Assert.Equal(first.Str("ts"), retry.Str("ts"));
        var history = await alice.OkAsync("history", ("room", room));
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task Two_hundred_sockets_each_receive_every_one_of_a_hundred_messages_once_in_order()
    {
        var room = NewRoom("crowd");
        var clients = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => server.ConnectAsync($"crowd{i}-{room[^6..]}")));
        try
        {
            await Task.WhenAll(clients.Select(c => c.OkAsync("join", ("room", room))));
            var sender = clients[0];
            for (var i = 1; i <= 100; i++)
            {
                await sender.OkAsync("send", ("room", room), ("text", $"broadcast {i}"));
            }

            var received = await Task.WhenAll(clients.Select(c => c.MessagesAsync(room, 100)));
            foreach (var messages in received)
            {
                Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), messages.Select(m => m.Seq()));
                Assert.Equal("broadcast 100", messages[^1].Str("text"));
            }

            // Nothing beyond the hundred: a ping round trip later, no client holds another message.
            await Task.WhenAll(clients.Select(c => c.OkAsync("ping")));
            Assert.All(clients, c => Assert.DoesNotContain(c.Drain(), e => e.Type() == "message"));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
