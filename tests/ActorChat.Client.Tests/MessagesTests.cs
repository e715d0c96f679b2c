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
}
