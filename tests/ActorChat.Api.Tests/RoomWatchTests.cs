using ActorChat.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>
/// A node's watch of a room lives only in the room's activation. When the activation goes away, the room says so and
/// the node watches the next one at once; on a fake clock that never moves here, the periodic check cannot be what
/// brings the next message.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class RoomWatchTests(FakeClockServer server)
{
    [Fact]
    public async Task Live_messages_keep_coming_after_the_room_activation_the_node_watched_went_away()
    {
        var user = $"watcher{Guid.NewGuid():N}"[..16];
        var room = $"moved-{Guid.NewGuid():N}"[..20];
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, server.Token(user, TimeSpan.FromHours(1)));
        await client.OkAsync("join", ("room", room));
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(room);
        await grain.Send(user, "before", null);
        Assert.Equal("before", (await client.MessagesAsync(room, 1))[0].GetProperty("text").GetString());

        // Erasing a user deactivates the rooms that held them; any other reason to end an activation works alike.
        await grain.Forget("nobody");
        await grain.Send(user, "after", null);

        Assert.Equal("after", (await client.MessagesAsync(room, 1))[0].GetProperty("text").GetString());
    }
}
