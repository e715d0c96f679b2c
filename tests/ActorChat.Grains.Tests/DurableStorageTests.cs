using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests;

public sealed class DurableStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-durable-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Everything_acknowledged_is_there_after_the_host_is_replaced()
    {
        const string room = "durable";
        await using (var first = await StartAsync())
        {
            var grain = first.Client.GetGrain<IRoomGrain>(room);
            await grain.Join("alice");
            await grain.Join("bob");
            for (var i = 1; i <= 40; i++)
            {
                await grain.Send("bob", $"message {i}", $"id-{i}");
            }

            await grain.Read("alice", 25);
            await first.Client.GetGrain<IRoomGrain>(ChatIds.Direct("alice", "bob")).Send("alice", "private", null);
            await first.StopAllSilosAsync();
        }

        await using var second = await StartAsync();
        var again = second.Client.GetGrain<IRoomGrain>(room);
        var info = await again.Info();
        Assert.Equal((true, 2, 40L), (info.Exists, info.MemberCount, info.LastSeq));

        var all = await again.After("bob", 0, 200);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"message {i}"), all.Messages.Select(m => m.Text));

        var rooms = await second.Client.GetGrain<IUserGrain>("alice").Rooms();
        Assert.Equal(25, rooms.Single(r => r.Room == room).LastRead);
        Assert.Contains(rooms, r => r.Room == ChatIds.Direct("alice", "bob"));

        // Sending moved the sender's own pointer, and that was stored too.
        var bobRooms = await second.Client.GetGrain<IUserGrain>("bob").Rooms();
        Assert.Equal(40, bobRooms.Single(r => r.Room == room).LastRead);

        // The de-duplication window survived too: a retry of an old send makes no new message.
        var retry = await again.Send("bob", "message 40", "id-40");
        Assert.Equal((true, 40L), (retry.Duplicate, retry.Seq));
        var next = await again.Send("alice", "message 41", "id-41");
        Assert.Equal(41, next.Seq);
    }

    private async Task<InProcessTestCluster> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:Provider"] = "Sqlite",
            ["ActorChat:Storage:DataDirectory"] = _directory,
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
