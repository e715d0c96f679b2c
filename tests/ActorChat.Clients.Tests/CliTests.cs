using System.Text.RegularExpressions;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>actorchat-cli against the live server: what it prints, what it sends, and how it resumes.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class CliTests(ChatServer server) : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("actorchat-cli-").FullName;

    private string Server => server.BaseAddress.ToString();

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public async Task Login_send_and_rooms_print_what_happened_and_the_message_arrives()
    {
        var room = NewRoom("cli");
        var user = NewUser("carol");
        var listenerId = NewUser("listener");
        await using var listener = await server.ConnectAsync(listenerId);
        await listener.OkAsync("join", ("room", room));

        var login = await CliProcess.RunAsync(_config, "--server", Server, "login", user);
        Assert.Equal(0, login.ExitCode);
        Assert.StartsWith($"Signed in to {server.BaseAddress.GetLeftPart(UriPartial.Authority)} as {user} until ", login.Output, StringComparison.Ordinal);

        var sent = await CliProcess.RunAsync(_config, "--server", Server, "send", room, "hello", "from", "the", "terminal");
        Assert.Equal((0, $"sent to {room} as #1"), (sent.ExitCode, sent.Output));
        var message = await listener.NextEventAsync(e => e.Type() == "message");
        Assert.Equal((user, "hello from the terminal"), (message.Str("from"), message.Str("text")));

        var club = NewRoom("club");
        await listener.OkAsync("join", ("room", club), ("private", true));
        await listener.OkAsync("invite", ("room", club), ("user", user));

        var rooms = await CliProcess.RunAsync(_config, "--server", Server, "rooms");
        Assert.Equal(0, rooms.ExitCode);
        var mine = rooms.Output[rooms.Output.IndexOf("Your rooms:", StringComparison.Ordinal)..];
        Assert.Matches($@"{room}\s+0 unread\s+last #1", mine);
        var invited = rooms.Output[rooms.Output.IndexOf("Invitations", StringComparison.Ordinal)..];
        Assert.Matches($@"{club}\s+from {listenerId}", invited);
    }

    [Fact]
    public async Task Tail_prints_each_message_once_across_a_cut_connection()
    {
        var room = NewRoom("tail");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        await writer.OkAsync("send", ("room", room), ("text", "one"));
        await writer.OkAsync("send", ("room", room), ("text", "two"));

        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var tail = CliProcess.Start(_config, "--server", proxy.Address.ToString(), "--user", NewUser("tailer"), "tail", room, "--since", "0");
        await tail.NextOutputAsync(line => line.Contains("#2 ", StringComparison.Ordinal));

        proxy.Sever();
        await tail.NextStatusAsync(line => line.StartsWith("! connection lost", StringComparison.Ordinal));
        await writer.OkAsync("send", ("room", room), ("text", "three"));
        await writer.OkAsync("send", ("room", room), ("text", "four"));
        proxy.Restore();
        await tail.NextStatusAsync(line => line.StartsWith($"! resumed {room} after #2", StringComparison.Ordinal));
        await writer.OkAsync("send", ("room", room), ("text", "five"));
        await tail.NextOutputAsync(line => line.Contains("#5 ", StringComparison.Ordinal));

        List<string> lines;
        lock (tail.Output)
        {
            lines = [.. tail.Output];
        }

        var printed = lines.Select(line => MessageLine().Match(line)).Where(m => m.Success).Select(m => (m.Groups["seq"].Value, m.Groups["text"].Value));
        Assert.Equal([("1", "one"), ("2", "two"), ("3", "three"), ("4", "four"), ("5", "five")], printed);
    }

    [Fact]
    public async Task Join_shows_typing_and_messages_safely_and_sends_what_is_typed()
    {
        var room = NewRoom("join");
        var me = NewUser("dave");
        var otherId = NewUser("erin");
        await using var other = await server.ConnectAsync(otherId);
        await other.OkAsync("join", ("room", room));

        await using var chat = CliProcess.Start(_config, "--server", Server, "--user", me, "join", room);
        await other.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == me && e.Str("status") == "joined");

        await other.RequestAsync("typing", ("room", room));
        await chat.NextOutputAsync(line => line == $"* {otherId} is typing…");

        // An escape sequence in a message must not reach the terminal.
        await other.OkAsync("send", ("room", room), ("text", "\u001b[2Jcleared?\nsecond line"));
        var shown = await chat.NextOutputAsync(line => line.Contains("cleared?", StringComparison.Ordinal));
        Assert.EndsWith($"{otherId}: \uFFFD[2Jcleared?", shown, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', shown);
        Assert.Equal("    second line", await chat.NextOutputAsync(_ => true));

        // An invitation elsewhere is told wherever the user is chatting.
        var club = NewRoom("club");
        await other.OkAsync("join", ("room", club), ("private", true));
        await other.OkAsync("invite", ("room", club), ("user", me));
        await chat.NextOutputAsync(line => line == $"* {otherId} invited you to {club}");

        await chat.WriteLineAsync("typed in the terminal");
        var sent = await other.NextEventAsync(e => e.Type() == "message" && e.Str("from") == me);
        Assert.Equal("typed in the terminal", sent.Str("text"));

        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.ExitAsync());
    }

    [Fact]
    public async Task Join_at_a_user_is_a_direct_conversation_both_ways()
    {
        var me = NewUser("fay");
        var friendId = NewUser("gus");
        await using var friend = await server.ConnectAsync(friendId);
        await using var chat = CliProcess.Start(_config, "--server", Server, "--user", me, "join", $"@{friendId}");
        await chat.NextStatusAsync(line => line.StartsWith($"! following @{friendId}", StringComparison.Ordinal));

        await friend.OkAsync("dm", ("to", me), ("text", "are you there?"));
        var shown = await chat.NextOutputAsync(line => line.Contains("are you there?", StringComparison.Ordinal));
        Assert.Matches($@"^\[dm:\S+ #1 \d\d:\d\d:\d\d\] {friendId}: are you there\?$", shown);

        await chat.WriteLineAsync("here I am");
        var answer = await friend.NextEventAsync(e => e.Type() == "message" && e.Str("from") == me);
        Assert.Equal(("here I am", 2L), (answer.Str("text"), answer.GetProperty("seq").GetInt64()));

        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.ExitAsync());
    }

    [Theory]
    [InlineData(new[] { "--user", "mistaken", "send", "Bad_Room", "x" }, 1, "(bad_room)")]
    [InlineData(new[] { "send", "room-x" }, 2, "'send' needs the text to send.")]
    [InlineData(new[] { "fly" }, 2, "Unknown command 'fly'.")]
    [InlineData(new[] { "rooms" }, 1, "Not signed in to")]
    [InlineData(new[] { "--token", "not-a-token", "rooms" }, 1, "The server refused the token (401)")]
    [InlineData(new[] { "--token", "not-a-token", "tail", "room-x" }, 1, "The server refused the token (401)")]
    public async Task Mistakes_get_a_clear_message_and_exit_code(string[] args, int exitCode, string expected)
    {
        var result = await CliProcess.RunAsync(_config, ["--server", Server, .. args]);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[[a-z0-9.-]+ #(?<seq>\d+) \d\d:\d\d:\d\d\] [^:]+: (?<text>.*)$")]
    private static partial Regex MessageLine();
}
