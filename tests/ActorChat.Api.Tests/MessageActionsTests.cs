using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

/// <summary>Edits, deletions, reactions, replies and mentions over a real socket, the event stream and REST.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessageActionsTests(ChatServer server)
{
    private static string NewId(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Everyone_following_sees_edits_deletions_and_reactions_in_log_order_and_history_shows_the_result()
    {
        var room = NewId("edits");
        var (aliceId, bobId) = (NewId("alice"), NewId("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await using var bob = await server.ConnectAsync(bobId);
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));

        var first = (await alice.OkAsync("send", ("room", room), ("text", "helo"))).Seq();
        var second = (await alice.OkAsync("send", ("room", room), ("text", "to be gone"), ("replyTo", first), ("mentions", new[] { bobId, "nobody-here" }))).Seq();
        var edit = await alice.OkAsync("edit", ("room", room), ("seq", first), ("text", "hello"));
        Assert.Equal(first, edit.Seq());
        var react = await bob.OkAsync("react", ("room", room), ("seq", first), ("emoji", "👍"));
        Assert.Equal(1, react.GetProperty("count").GetInt32());
        var again = await bob.OkAsync("react", ("room", room), ("seq", first), ("emoji", "👍"));
        Assert.Equal(1, again.GetProperty("count").GetInt32());
        await alice.OkAsync("react", ("room", room), ("seq", first), ("emoji", "👍"));
        var deleted = await alice.OkAsync("delete", ("room", room), ("seq", second));

        // Bob saw it all happen, each event once, in one gapless sequence of positions.
        var seen = new List<JsonElement>();
        while (seen.Count < 6)
        {
            var frame = await bob.NextEventAsync(e => e.Type() is "message" or "edited" or "reaction" or "deleted");
            seen.Add(frame);
        }

        Assert.Equal(["message", "message", "edited", "reaction", "reaction", "deleted"], seen.Select(e => e.Type()));
        var positions = seen.Select(Position).ToList();
        Assert.Equal(Enumerable.Range((int)first, 6).Select(i => (long)i), positions);
        Assert.Equal(first, seen[1].GetProperty("replyTo").GetInt64());
        Assert.Equal([bobId], seen[1].GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("hello", seen[2].Str("text"));
        Assert.Equal(aliceId, seen[2].Str("by"));
        Assert.Equal(2, seen[4].GetProperty("count").GetInt32());
        Assert.Equal(deleted.GetProperty("logSeq").GetInt64(), seen[5].GetProperty("logSeq").GetInt64());

        // History holds the current state: the edit, the reactions with the viewer's own, a tombstone with no text.
        var history = (await bob.OkAsync("history", ("room", room))).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("hello", history[0].Str("text"));
        Assert.True(history[0].TryGetProperty("editedAt", out _));
        var thumbs = Assert.Single(history[0].GetProperty("reactions").EnumerateArray());
        Assert.Equal(2, thumbs.GetProperty("count").GetInt32());
        Assert.True(thumbs.GetProperty("me").GetBoolean());
        Assert.True(history[1].GetProperty("deleted").GetBoolean());
        Assert.False(history[1].TryGetProperty("text", out _));

        // Bob's unread counts messages only, and the one that mentioned him.
        var rooms = (await bob.OkAsync("rooms")).GetProperty("rooms").EnumerateArray().Single(r => r.Str("room") == room);
        Assert.True(rooms.GetProperty("unread").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_client_resuming_from_a_position_gets_the_current_state_and_every_later_change_once()
    {
        var room = NewId("resume");
        var (aliceId, bobId) = (NewId("alice"), NewId("bob"));
        await using var alice = await server.ConnectAsync(aliceId);
        await alice.OkAsync("join", ("room", room));
        var one = (await alice.OkAsync("send", ("room", room), ("text", "one"))).Seq();
        await using (var bob = await server.ConnectAsync(bobId))
        {
            await bob.OkAsync("join", ("room", room));
        }

        var since = one;

        var two = (await alice.OkAsync("send", ("room", room), ("text", "two"))).Seq();
        await alice.OkAsync("edit", ("room", room), ("seq", one), ("text", "one, fixed"));
        await alice.OkAsync("edit", ("room", room), ("seq", two), ("text", "two, fixed"));
        await alice.OkAsync("react", ("room", room), ("seq", two), ("emoji", "🎉"));
        var lastLog = (await alice.OkAsync("join", ("room", room))).GetProperty("lastSeq").GetInt64();

        // Once alice has the reaction, this node's relay has everything: what bob asks for after `since` is replayed
        // from storage, in current state, rather than caught live from the stream as it was sent.
        await alice.NextEventAsync(e => e.Type() == "reaction");

        await using var back = await server.ConnectAsync(bobId);
        var joined = await back.OkAsync("join", ("room", room), ("since", since));
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        var replay = new List<JsonElement>();
        while (replay.Count < lastLog - since)
        {
            replay.Add(await back.NextEventAsync(e => e.TryGetProperty("room", out _) && Position(e) > 0));
        }

        Assert.Equal(Enumerable.Range((int)since + 1, (int)(lastLog - since)).Select(i => (long)i), replay.Select(Position));

        // The replayed message is already in its current state; the edit of an earlier message still comes as a change.
        Assert.Equal("two, fixed", replay[0].Str("text"));
        Assert.Contains(replay, e => e.Type() == "edited" && e.Seq() == one && e.Str("text") == "one, fixed");
        Assert.Contains(replay, e => e.Type() == "reaction" && e.Seq() == two && e.GetProperty("count").GetInt32() == 1);
    }

    [Fact]
    public async Task Only_the_author_edits_within_the_window_and_only_the_author_or_an_admin_deletes()
    {
        var room = NewId("rules");
        var (ownerId, aliceId, bobId) = (NewId("owner"), NewId("alice"), NewId("bob"));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var alice = await server.ConnectAsync(aliceId);
        await using var bob = await server.ConnectAsync(bobId);
        await owner.OkAsync("join", ("room", room));
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));
        var seq = (await alice.OkAsync("send", ("room", room), ("text", "mine"))).Seq();

        Assert.Equal("forbidden", (await bob.RequestAsync("edit", ("room", room), ("seq", seq), ("text", "yours now"))).Str("code"));
        Assert.Equal("forbidden", (await owner.RequestAsync("edit", ("room", room), ("seq", seq), ("text", "owner's words"))).Str("code"));
        Assert.Equal("forbidden", (await bob.RequestAsync("delete", ("room", room), ("seq", seq))).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync("edit", ("room", room), ("seq", seq + 100), ("text", "ghost"))).Str("code"));
        Assert.Equal("bad_request", (await bob.RequestAsync("react", ("room", room), ("seq", seq), ("emoji", "nice"))).Str("code"));
        Assert.Equal("bad_request", (await alice.RequestAsync("send", ("room", room), ("text", "x"), ("mentions", "bob"))).Str("code"));
        Assert.Equal("not_found", (await alice.RequestAsync("send", ("room", room), ("text", "x"), ("replyTo", seq + 100))).Str("code"));

        await owner.OkAsync("delete", ("room", room), ("seq", seq));
        Assert.Equal("not_found", (await alice.RequestAsync("edit", ("room", room), ("seq", seq), ("text", "back"))).Str("code"));
        Assert.Equal("not_found", (await bob.RequestAsync("react", ("room", room), ("seq", seq), ("emoji", "👍"))).Str("code"));
    }

    [Fact]
    public async Task Rest_edits_deletes_and_reacts_like_the_socket_and_the_event_stream_carries_changes_with_their_position()
    {
        var room = NewId("restful");
        var (aliceId, bobId) = (NewId("alice"), NewId("bob"));
        var (aliceToken, bobToken) = (await server.TokenAsync(aliceId), await server.TokenAsync(bobId));
        await using var alice = await server.ConnectAsync(aliceId);
        await alice.OkAsync("join", ("room", room));
        await using var bob = await server.ConnectAsync(bobId);
        await bob.OkAsync("join", ("room", room));
        var (response, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", bobToken);
        using var opened = response;
        await using var events = stream!;
        await events.NextAsync("ready");

        var posted = await SendAsync(HttpMethod.Post, $"/api/rooms/{room}/messages", aliceToken, new { text = "via rest", mentions = new[] { bobId } });
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var seq = posted.Body.GetProperty("seq").GetInt64();
        var edited = await SendAsync(HttpMethod.Patch, $"/api/rooms/{room}/messages/{seq}", aliceToken, new { text = "via rest, edited" });
        Assert.Equal(HttpStatusCode.OK, edited.Status);
        var reacted = await SendAsync(HttpMethod.Put, $"/api/rooms/{room}/messages/{seq}/reactions/{Uri.EscapeDataString("❤️")}", bobToken);
        Assert.Equal(1, reacted.Body.GetProperty("count").GetInt32());
        var bad = await SendAsync(HttpMethod.Put, $"/api/rooms/{room}/messages/{seq}/reactions/lol", bobToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("bad_request", bad.Body.Str("code"));
        var forbidden = await SendAsync(HttpMethod.Delete, $"/api/rooms/{room}/messages/{seq}", bobToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        var deleted = await SendAsync(HttpMethod.Delete, $"/api/rooms/{room}/messages/{seq}", aliceToken);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);

        // The event stream names each event and gives its place in the log as the id, changes included.
        var message = await events.NextAsync("message");
        Assert.Equal(seq.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Id);
        Assert.Equal([bobId], message.Data.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        var edit = await events.NextAsync("edited");
        Assert.Equal(edited.Body.GetProperty("logSeq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), edit.Id);
        var reaction = await events.NextAsync("reaction");
        Assert.Equal(long.Parse(edit.Id!, System.Globalization.CultureInfo.InvariantCulture) + 1, long.Parse(reaction.Id!, System.Globalization.CultureInfo.InvariantCulture));
        var gone = await events.NextAsync("deleted");
        Assert.Equal(deleted.Body.GetProperty("logSeq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), gone.Id);

        // REST history shows the tombstone; the socket saw the same changes.
        var page = await SendAsync(HttpMethod.Get, $"/api/rooms/{room}/messages", bobToken);
        var tombstone = Assert.Single(page.Body.GetProperty("messages").EnumerateArray());
        Assert.True(tombstone.GetProperty("deleted").GetBoolean());
        Assert.False(tombstone.TryGetProperty("text", out _));
        await bob.NextEventAsync(e => e.Type() == "deleted");
    }

    internal static long Position(JsonElement frame) =>
        frame.TryGetProperty("logSeq", out var log) ? log.GetInt64()
        : frame.Type() == "message" ? frame.Seq()
        : 0;

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = ChatServer.Authorized(method, path, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
