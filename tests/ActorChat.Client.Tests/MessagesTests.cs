using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>A room's messages as an <see cref="IAsyncEnumerable{T}"/>.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessagesTests(ChatServer server)
{
    [Fact]
    public async Task Messages_joins_the_room_and_yields_each_message_once_in_order_until_cancelled()
    {
        var room = NewRoom("stream");
        var readerId = NewUser("reader");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        await writer.OkAsync("join", ("room", room + "-other"));
        await using var reader = await ConnectedAsync(server, readerId);

        using var stop = new CancellationTokenSource(Deadline);
        await using var messages = reader.Messages(room, stop.Token).GetAsyncEnumerator(stop.Token);
        var first = messages.MoveNextAsync();
        await writer.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == readerId && e.Str("status") == "joined");

        foreach (var text in new[] { "one", "two", "three" })
        {
            await writer.OkAsync("send", ("room", room), ("text", text));
            await writer.OkAsync("send", ("room", room + "-other"), ("text", "elsewhere"));
        }

        var received = new List<ChatMessage>();
        Assert.True(await first);
        received.Add(messages.Current);
        while (received.Count < 3 && await messages.MoveNextAsync())
        {
            received.Add(messages.Current);
        }

        Assert.Equal([(1L, "one"), (2L, "two"), (3L, "three")], received.Select(m => (m.Seq, m.Text)));
        Assert.All(received, m => Assert.Equal(room, m.Room));

        var next = messages.MoveNextAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task The_bot_of_the_docs_answers_ping_with_pong_as_a_reply()
    {
        var room = NewRoom("bots");
        var botId = NewUser("pingbot");
        await using var person = await server.ConnectAsync(NewUser("person"));
        await person.OkAsync("join", ("room", room));

        // docs/clients.md's bot, with this test's server, room and bot name.
        using var stop = new CancellationTokenSource(Deadline);
        var serverAddress = server.BaseAddress;
        using var http = new HttpClient();
        await using var chat = new ChatClient(new ChatClientOptions
        {
            Server = serverAddress,
            TokenProvider = async ct => (await ChatAuth.DevLoginAsync(http, serverAddress, botId, ct)).Token,
        });
        await chat.ConnectAsync(stop.Token);
        var bot = Task.Run(
            async () =>
            {
                await foreach (var message in chat.Messages(room, stop.Token))
                {
                    if (message.Text == "ping")
                    {
                        await chat.SendAsync(room, "pong", replyTo: message.Seq, cancellationToken: stop.Token);
                    }
                }
            },
            stop.Token);

        await person.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == botId && e.Str("status") == "joined");
        var ping = await person.OkAsync("send", ("room", room), ("text", "ping"));
        var pong = await person.NextEventAsync(e => e.Type() == "message" && e.Str("from") == botId);
        Assert.Equal(("pong", ping.Seq()), (pong.Str("text"), pong.GetProperty("replyTo").GetInt64()));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bot);
    }
}
