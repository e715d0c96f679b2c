using System.Text.Json;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class DirectoryTests(ChatServer server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>The count a <c>directory</c> event gives for <paramref name="room"/>, if it names it.</summary>
    private static int? CountIn(JsonElement frame, string room) =>
        frame.Type() == "directory"
            ? frame.GetProperty("rooms").EnumerateArray().Where(r => r.Str("room") == room).Select(r => (int?)r.GetProperty("members").GetInt32()).LastOrDefault()
            : null;

    [Fact]
    public async Task A_browsing_connection_hears_public_rooms_appear_grow_and_vanish_but_never_private_ones()
    {
        var (open, secret) = (NewId("open"), NewId("secret"));
        await using var browser = await server.ConnectAsync(NewId("browser"));
        await using var ann = await server.ConnectAsync(NewId("ann"));
        await using var ben = await server.ConnectAsync(NewId("ben"));

        var listed = await browser.OkAsync("browse", ("after", "open-"), ("limit", 500));
        Assert.DoesNotContain(listed.GetProperty("rooms").EnumerateArray(), r => r.Str("room") == open);

        await ann.OkAsync("join", ("room", secret), ("private", true));
        await ann.OkAsync("join", ("room", open));
        Assert.Equal(1, CountIn(await browser.NextEventAsync(e => CountIn(e, open) is not null), open));
        await ben.OkAsync("join", ("room", open));
        await browser.NextEventAsync(e => CountIn(e, open) == 2);

        // A later listing agrees with what was heard.
        var again = await browser.OkAsync("browse", ("after", open[..^1]), ("limit", 1));
        var first = Assert.Single(again.GetProperty("rooms").EnumerateArray());
        Assert.Equal((open, 2), (first.Str("room"), first.GetProperty("members").GetInt32()));
        Assert.Equal(open, again.Str("next"));

        // Ann made the room and owns it: she leaves last (an owner hands over before leaving others behind).
        await ben.OkAsync("leave", ("room", open));
        await ann.OkAsync("leave", ("room", open));
        await browser.NextEventAsync(e => CountIn(e, open) == 0);
        Assert.DoesNotContain(browser.Drain(), e => CountIn(e, secret) is not null);
    }

    [Fact]
    public async Task Browsing_with_watch_false_lists_and_stops_the_events()
    {
        var room = NewId("quiet");
        await using var stopped = await server.ConnectAsync(NewId("stopped"));
        await using var watching = await server.ConnectAsync(NewId("watching"));
        await using var joiner = await server.ConnectAsync(NewId("joiner"));
        await stopped.OkAsync("browse");
        await watching.OkAsync("browse");
        await stopped.OkAsync("browse", ("watch", false));

        // What came before the ok (a batch of another test's rooms, told while this connection watched) is not the
        // question: frames are queued in order, so nothing queued before the stop arrives after its ok.
        stopped.Drain();
        await joiner.OkAsync("join", ("room", room));
        await watching.NextEventAsync(e => CountIn(e, room) == 1);

        // The batch was queued on every watcher at once; a round trip after it proves none is on its way.
        await stopped.OkAsync("ping");
        Assert.DoesNotContain(stopped.Drain(), e => e.Type() == "directory");
    }

    [Theory]
    [InlineData("limit", 0)]
    [InlineData("limit", 501)]
    [InlineData("watch", "yes")]
    public async Task A_bad_browse_is_refused_with_bad_request(string field, object value)
    {
        await using var client = await server.ConnectAsync(NewId("bad"));
        var reply = await client.RequestAsync("browse", (field, value));
        Assert.Equal("bad_request", reply.Str("code"));
    }
}
