using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Microsoft.Extensions.Configuration;

namespace ActorChat.Grains.Tests;

public sealed class RetentionTests
{
    [Fact]
    public async Task Retention_by_count_drops_whole_old_chunks_and_reports_the_first_available_seq()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:Provider"] = "Memory",
            ["ActorChat:Rooms:ChunkSize"] = "16",
            ["ActorChat:Rooms:RetainMessages"] = "40",
        }).Build();
        var builder = new Orleans.TestingHost.InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration));
        builder.ConfigureClient(client => client.AddMemoryStreams(ChatProviders.Streams));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var room = cluster.Client.GetGrain<IRoomGrain>("retained");
        await room.Join("alice");
        for (var i = 1; i <= 100; i++)
        {
            await room.Send("alice", $"m{i}", null);
        }

        // Chunks hold 16; the newest 40 must stay, so chunks 0-2 (seq 1-48) went when chunk 5 was sealed.
        var joined = await room.Join("alice");
        Assert.Equal((100L, 49L), (joined.LastSeq, joined.FirstAvailableSeq));

        var history = await room.History("alice", null, 200);
        Assert.Equal(Enumerable.Range(49, 52).Select(i => (long)i), history.Messages.Select(m => m.Seq));
        Assert.False(history.HasMore);

        var fromStart = await room.ReadRange(0, 10);
        Assert.Equal(49, fromStart.Messages[0].Seq);
        await cluster.StopAllSilosAsync();
    }
}
