using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RoomSequenceTests(ClusterFixture fixture)
{
    private static string NewRoom() => $"seq-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Concurrent_senders_get_every_sequence_once_with_no_gap()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        var users = Enumerable.Range(0, 8).Select(i => $"user{i}").ToArray();
        foreach (var user in users)
        {
            await room.Join(user);
        }

        var sends = users.SelectMany(user => Enumerable.Range(0, 25).Select(i => room.Send(user, $"{user} says {i}", null))).ToList();
        var results = await Task.WhenAll(sends);

        var seqs = results.Select(r => r.Seq).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
        Assert.Equal(200, (await room.Info()).LastSeq);

        // Every message is stored exactly once, across sealed chunks and the open one.
        var stored = new List<ChatMessage>();
        for (long after = 0; ;)
        {
            var page = await room.ReadRange(after, 37);
            stored.AddRange(page.Messages);
            if (!page.HasMore)
            {
                break;
            }

            after = page.Messages[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Select(m => m.Seq));
        foreach (var user in users)
        {
            // Calls in flight together have no order among them, so compare what was stored, not its order.
            var mine = stored.Where(m => m.From == user).Select(m => m.Text).Order(StringComparer.Ordinal);
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"{user} says {i}").Order(StringComparer.Ordinal), mine);
        }
    }

    [Fact]
    public async Task A_batch_is_numbered_in_its_order_and_each_draft_has_its_own_outcome()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.Join("owner");
        await room.Join("alice");
        await room.Send("alice", "first", null);

        var outcomes = await room.PostMany("alice",
        [
            new MessageDraft("one", "b-1"),
            new MessageDraft("two", null, ReplyTo: 999),
            new MessageDraft("one again", "b-1"),
            new MessageDraft(" ", null),
            new MessageDraft("three", null, ReplyTo: 1),
        ]);

        Assert.Equal(
            [(2L, (ChatErrorCode?)null), (0L, ChatErrorCode.NotFound), (2L, null), (0L, ChatErrorCode.BadRequest), (3L, null)],
            outcomes.Select(o => (o.Sent?.Seq ?? 0, o.Refused?.Code)));
        Assert.True(outcomes[2].Sent!.Duplicate);
        Assert.Equal(["first", "one", "three"], (await room.History("alice", null, 10)).Messages.Select(m => m.Text));

        // Each draft is checked as one send would be: a stranger's are all refused, and so is a batch over the cap.
        Assert.All(await room.PostMany("stranger", [new MessageDraft("a", null), new MessageDraft("b", null)]),
            o => Assert.Equal(ChatErrorCode.NotMember, o.Refused?.Code));
        var tooMany = Enumerable.Range(0, new ChatLimits().MaxPostBatch + 1).Select(i => new MessageDraft($"m{i}", null)).ToList();
        Assert.Equal(ChatErrorCode.BadRequest, (await Assert.ThrowsAsync<ChatException>(() => room.PostMany("alice", tooMany))).Code);

        // Under slow mode a batch gets one message through, like sends one after another would.
        await room.Configure("owner", null, 60);
        await room.Join("bob");
        var slowed = await room.PostMany("bob", [new MessageDraft("s1", null), new MessageDraft("s2", null), new MessageDraft("s3", null)]);
        Assert.Equal([(ChatErrorCode?)null, ChatErrorCode.SlowMode, ChatErrorCode.SlowMode], slowed.Select(o => o.Refused?.Code));
        Assert.Equal(5, slowed[0].Sent!.Seq); // the settings change took 4
    }

    [Fact]
    public async Task A_repeated_client_message_id_returns_the_first_result_and_stores_nothing()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.Join("alice");
        await room.Join("bob");

        var first = await room.Send("alice", "hello", "m-1");
        var again = await room.Send("alice", "hello (retry)", "m-1");
        var otherUser = await room.Send("bob", "hello", "m-1");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(first.Ts, again.Ts);
        Assert.False(otherUser.Duplicate);
        Assert.Equal(first.Seq + 1, otherUser.Seq);
        var history = await room.History("alice", null, 10);
        Assert.Equal(["hello", "hello"], history.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task The_dedup_window_survives_deactivation()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("alice");
        var first = await room.Send("alice", "once", "keep-me");

        await fixture.Cluster.DeactivateAsync(room);

        var again = await room.Send("alice", "once", "keep-me");
        Assert.True(again.Duplicate);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(1, (await room.Info()).LastSeq);
    }

    [Fact]
    public async Task History_pages_backwards_and_forwards_across_chunks()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.Join("alice");
        for (var i = 1; i <= 100; i++)
        {
            await room.Send("alice", $"m{i}", null);
        }

        var newest = await room.History("alice", null, 30);
        Assert.Equal(Enumerable.Range(71, 30).Select(i => (long)i), newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);

        var seen = new List<long>(newest.Messages.Select(m => m.Seq));
        var before = newest.Messages[0].Seq;
        while (true)
        {
            var page = await room.History("alice", before, 30);
            seen.InsertRange(0, page.Messages.Select(m => m.Seq));
            if (!page.HasMore)
            {
                break;
            }

            before = page.Messages[0].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seen);

        var after = await room.After("alice", 95, 50);
        Assert.Equal([96L, 97, 98, 99, 100], after.Messages.Select(m => m.Seq));
        Assert.False(after.HasMore);
        Assert.Equal(["m96", "m97", "m98", "m99", "m100"], after.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Non_members_cannot_send_or_read_and_bad_input_is_refused()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewRoom());
        await room.Join("alice");

        var send = await Assert.ThrowsAsync<ChatException>(() => room.Send("mallory", "hi", null));
        Assert.Equal(ChatErrorCode.NotMember, send.Code);
        var read = await Assert.ThrowsAsync<ChatException>(() => room.History("mallory", null, 10));
        Assert.Equal(ChatErrorCode.NotMember, read.Code);
        var blank = await Assert.ThrowsAsync<ChatException>(() => room.Send("alice", "   ", null));
        Assert.Equal(ChatErrorCode.BadRequest, blank.Code);
        var tooLong = await Assert.ThrowsAsync<ChatException>(() => room.Send("alice", new string('x', 4001), null));
        Assert.Equal(ChatErrorCode.TooLong, tooLong.Code);
        var badRoom = await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IRoomGrain>("Not A Room").Join("alice"));
        Assert.Equal(ChatErrorCode.BadRoom, badRoom.Code);
        Assert.Equal(0, (await room.Info()).LastSeq);
    }
}
