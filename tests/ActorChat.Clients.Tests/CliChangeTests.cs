using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>actorchat-cli's commands for messages people fix and rooms their owners moderate, against the live server.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliChangeTests(ChatServer server) : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("actorchat-cli-").FullName;

    private string Server => server.BaseAddress.ToString();

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public async Task Reply_edit_react_and_delete_print_what_they_did_and_tail_shows_each_change()
    {
        var room = NewRoom("fix");
        var (me, listenerId) = (NewUser("fixer"), NewUser("listener"));
        await using var listener = await server.ConnectAsync(listenerId);
        await listener.OkAsync("join", ("room", room));
        await listener.OkAsync("send", ("room", room), ("text", "a question"));
        await using var tail = CliProcess.Start(_config, "--server", Server, "--user", NewUser("tailer"), "tail", room, "--since", "0");
        await tail.NextOutputAsync(line => line.Contains("#1 ", StringComparison.Ordinal));

        Assert.Equal((0, $"sent to {room} as #2"), await RunAsync(me, "send", room, "frist"));
        Assert.Equal((0, $"sent to {room} as #3, a reply to #1"), await RunAsync(me, "reply", room, "1", "an", "answer"));
        var reply = await listener.NextEventAsync(e => e.Type() == "message" && e.Seq() == 3);
        Assert.Equal(("an answer", 1L), (reply.Str("text"), reply.GetProperty("replyTo").GetInt64()));
        Assert.EndsWith($"{me} (reply to #1): an answer", await tail.NextOutputAsync(line => line.Contains("#3 ", StringComparison.Ordinal)), StringComparison.Ordinal);

        Assert.Equal((0, $"edited {room} #2"), await RunAsync(me, "edit", room, "2", "first"));
        Assert.Equal("first", (await listener.NextEventAsync(e => e.Type() == "edited")).Str("text"));
        Assert.Equal($"* {me} edited #2: first", await tail.NextOutputAsync(line => line.StartsWith('*')));

        Assert.Equal((0, $"reacted 👍 to {room} #1 (1)"), await RunAsync(me, "react", room, "1", "👍"));
        Assert.Equal("👍", (await listener.NextEventAsync(e => e.Type() == "reaction")).Str("emoji"));
        Assert.Equal($"* {me} reacted 👍 to #1 (1)", await tail.NextOutputAsync(line => line.StartsWith('*')));
        Assert.Equal((0, $"took back 👍 from {room} #1 (0)"), await RunAsync(me, "unreact", room, "1", "👍"));

        Assert.Equal((0, $"deleted {room} #3"), await RunAsync(me, "delete", room, "3"));
        Assert.Equal(3, (await listener.NextEventAsync(e => e.Type() == "deleted")).Seq());
        Assert.Equal($"* {me} deleted #3", await tail.NextOutputAsync(line => line.StartsWith($"* {me} deleted", StringComparison.Ordinal)));

        var history = (await listener.OkAsync("history", ("room", room))).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("first", history.Single(m => m.Seq() == 2).Str("text"));
        Assert.True(history.Single(m => m.Seq() == 3).GetProperty("deleted").GetBoolean());

        // Someone else's message is not this user's to edit: the server's code, exit 1.
        var refused = await CliProcess.RunAsync(_config, "--server", Server, "--user", me, "edit", room, "1", "mine now");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("(forbidden)", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_bans_and_unbans_mutes_and_sets_the_topic_from_the_terminal()
    {
        var room = NewRoom("mod");
        var (boss, otherId) = (NewUser("boss"), NewUser("other"));
        Assert.Equal((0, $"sent to {room} as #1"), await RunAsync(boss, "send", room, "welcome"));
        await using var other = await server.ConnectAsync(otherId);
        await other.OkAsync("join", ("room", room));

        Assert.Equal((0, $"{room}: topic \"be kind\", slow mode 0 s"), await RunAsync(boss, "settings", room, "--topic", "be kind", "--slow-mode", "0"));
        Assert.Equal("be kind", (await other.NextEventAsync(e => e.Type() == "settings")).Str("topic"));

        var muted = await RunAsync(boss, "mute", room, otherId, "--until", "1h");
        Assert.StartsWith($"muted {otherId} in {room} until ", muted.Output, StringComparison.Ordinal);
        Assert.Equal("muted", (await other.RequestAsync("send", ("room", room), ("text", "hey"))).Str("code"));
        Assert.Equal((0, $"unmuted {otherId} in {room}"), await RunAsync(boss, "unmute", room, otherId));

        Assert.Equal((0, $"banned {otherId} from {room}"), await RunAsync(boss, "ban", room, otherId));
        var banned = await other.NextEventAsync(e => e.Type() == "moderation" && e.Str("action") == "ban");
        Assert.Equal((otherId, boss), (banned.Str("user"), banned.Str("by")));
        Assert.Equal("forbidden", (await other.RequestAsync("join", ("room", room))).Str("code"));

        Assert.Equal((0, $"unbanned {otherId} in {room}"), await RunAsync(boss, "unban", room, otherId));
        await other.OkAsync("join", ("room", room));
        Assert.Equal((0, $"{otherId} is now admin in {room}"), await RunAsync(boss, "role", room, otherId, "admin"));

        // Only owners and admins moderate.
        var refused = await CliProcess.RunAsync(_config, "--server", Server, "--user", NewUser("nobody"), "kick", room, otherId);
        Assert.Equal(1, refused.ExitCode);
    }

    [Theory]
    [InlineData(new[] { "edit", "room-x", "two", "text" }, "'edit' needs a message number (an integer > 0), not 'two'.")]
    [InlineData(new[] { "react", "room-x", "1" }, "'react' needs an emoji.")]
    [InlineData(new[] { "settings", "room-x" }, "'settings' needs --topic TEXT or --slow-mode SECONDS.")]
    [InlineData(new[] { "ban", "room-x", "someone", "--until", "soon" }, "--until takes an ISO 8601 time or a duration")]
    public async Task Mistakes_in_the_new_commands_are_usage_errors(string[] args, string expected)
    {
        var result = await CliProcess.RunAsync(_config, ["--server", Server, "--user", NewUser("typo"), .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string user, params string[] args)
    {
        var result = await CliProcess.RunAsync(_config, ["--server", Server, "--user", user, .. args]);
        return (result.ExitCode, result.ExitCode == 0 ? result.Output : result.Error);
    }
}
