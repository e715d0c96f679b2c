using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>Connections cut by the network (a TCP proxy that resets them) and the client coming back on its own.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReconnectTests(ChatServer server)
{
    [Fact]
    public async Task After_a_cut_every_room_is_resumed_and_each_message_arrives_once_in_order()
    {
        string[] rooms = [NewRoom("cut-a"), NewRoom("cut-b")];
        var me = NewUser("resumer");
        var writerId = NewUser("writer");
        var direct = string.CompareOrdinal(me, writerId) < 0 ? $"dm:{me}:{writerId}" : $"dm:{writerId}:{me}";
        await using var writer = await server.ConnectAsync(writerId);
        foreach (var room in rooms)
        {
            await writer.OkAsync("join", ("room", room));
        }

        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var chat = For(server, me, through: proxy.Address);
        using var log = new EventLog(chat);
        await chat.ConnectAsync();
        foreach (var room in rooms)
        {
            await chat.JoinAsync(room);
        }

        await chat.BrowseAsync(limit: 1, watch: true);
        await SendAsync(writer, rooms, "1", "2");
        await writer.OkAsync("dm", ("to", me), ("text", "dm 1"));
        await log.WaitUntilAsync(() => rooms.All(r => log.Messages(r).Count == 2) && log.Messages(direct).Count == 1, "the first messages");

        proxy.Sever();
        await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Reconnecting);
        await SendAsync(writer, rooms, "3", "4");
        await writer.OkAsync("dm", ("to", me), ("text", "dm 2"));
        var edit = await writer.OkAsync("edit", ("room", rooms[1]), ("seq", 1), ("text", "1, edited offline"));

        // A send while the socket is down waits for the next one and is stored once.
        var offline = chat.SendAsync(rooms[0], "written offline");
        proxy.Restore();
        var stored = await offline;
        await SendAsync(writer, rooms, "5");
        await log.WaitUntilAsync(() => log.Messages(rooms[0]).Count == 6 && log.Messages(rooms[1]).Count == 5 && log.Messages(direct).Count == 2, "every message");

        Assert.Equal(["1", "2", "3", "4", "written offline", "5"], log.Texts(rooms[0]));
        Assert.Equal(["1", "2", "3", "4", "5"], log.Texts(rooms[1]));
        Assert.Equal(["dm 1", "dm 2"], log.Texts(direct));
        foreach (var room in rooms.Append(direct))
        {
            var seqs = log.Messages(room).Select(m => m.Seq).ToList();
            Assert.Equal(seqs.Order(), seqs);
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
        }

        Assert.Equal(stored.Seq, log.Messages(rooms[0]).Single(m => m.Text == "written offline").Seq);

        // Changes are positions of the same sequence: the edit made while away arrives once, in its place.
        var edited = Assert.Single(log.All<MessageEdited>());
        Assert.Equal((rooms[1], 1L, edit.GetProperty("logSeq").GetInt64()), (edited.Room, edited.Seq, edited.LogSeq));
        var positions = log.All<ChatEvent>().Where(e => (e is ChatMessage { Room: var r } && r == rooms[1]) || e is MessageEdited)
            .Select(e => e is ChatMessage m ? m.Seq : ((MessageEdited)e).LogSeq).ToList();
        Assert.Equal(positions.Order(), positions);

        // The watched directory is browsed again and passed on whole.
        await log.WaitForAsync<DirectoryChanged>(d => d.Reset);
        var resumed = log.All<RoomResumed>().ToDictionary(r => r.Room, r => r.Since);
        Assert.Equal((2L, 2L, 1L), (resumed[rooms[0]], resumed[rooms[1]], resumed[direct]));
        var history = await chat.HistoryAsync(rooms[0]);
        Assert.Single(history.Messages, m => m.Text == "written offline");
    }

    [Fact]
    public async Task A_request_that_is_not_safe_to_repeat_fails_with_disconnected_when_the_socket_drops_before_its_reply()
    {
        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var chat = For(server, NewUser("pinger"), through: proxy.Address);
        using var log = new EventLog(chat);
        await chat.ConnectAsync();

        // Cut between the request and its reply: the ping is sent and the reply can never come back.
        var pinging = chat.PingAsync();
        proxy.Sever();
        var result = await Record.ExceptionAsync(() => pinging);
        if (result is not null)
        {
            Assert.Equal(ChatErrorCodes.Disconnected, Assert.IsType<ChatException>(result).Code);
        }

        proxy.Restore();
        await log.WaitUntilAsync(() => log.All<ConnectionStateChanged>().Count(s => s.State == ChatConnectionState.Open) == 2, "the reconnect");
        await chat.PingAsync();
    }

    private static async Task SendAsync(SocketClient writer, string[] rooms, params string[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var room in rooms)
            {
                await writer.OkAsync("send", ("room", room), ("text", text));
            }
        }
    }
}
