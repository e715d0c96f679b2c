using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DirectoryTests(ClusterFixture fixture)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Changes_within_one_interval_are_published_as_one_batch_and_private_rooms_never()
    {
        var probe = await DirectoryProbe.WatchAsync(fixture.Client);
        try
        {
            var owner = NewId("owner");
            var secret = NewId("secret");
            await fixture.Client.GetGrain<IRoomGrain>(secret).JoinPrivate(owner);
            var rooms = Enumerable.Range(0, 3).Select(_ => NewId("listed")).ToList();
            foreach (var room in rooms)
            {
                await fixture.Client.GetGrain<IRoomGrain>(room).Join(owner);
            }

            // The three joins take milliseconds against a 1 s interval: a timer already running for earlier changes
            // may split them once, never more.
            var batches = new List<DirectoryChanged>();
            var seen = new Dictionary<string, int>();
            while (seen.Count < rooms.Count)
            {
                var batch = await probe.NextAsync(stale: b => !b.Rooms.Any(r => rooms.Contains(r.Room)));
                batches.Add(batch);
                foreach (var listing in batch.Rooms.Where(r => rooms.Contains(r.Room)))
                {
                    seen[listing.Room] = listing.MemberCount;
                }
            }

            Assert.InRange(batches.Count, 1, 2);
            Assert.All(seen.Values, count => Assert.Equal(1, count));
            Assert.DoesNotContain(batches.SelectMany(b => b.Rooms), r => r.Room == secret);

            // The last member leaving takes a room off the list: count 0.
            await fixture.Client.GetGrain<IRoomGrain>(rooms[0]).Leave(owner);
            var gone = await probe.NextAsync(stale: b => !b.Rooms.Any(r => r.Room == rooms[0]));
            Assert.Equal(0, gone.Rooms.Single(r => r.Room == rooms[0]).MemberCount);
        }
        finally
        {
            await probe.UnwatchAsync();
        }
    }

    [Fact]
    public async Task With_stream_publishing_on_batches_also_go_out_on_the_stream_for_front_ends_of_earlier_releases()
    {
        var (probe, handle) = await EventProbe.SubscribeAsync<DirectoryChanged>(fixture.Client, ChatStreams.Directory);
        var room = NewId("legacy");
        await fixture.Client.GetGrain<IRoomGrain>(room).Join(NewId("owner"));
        var batch = await probe.NextAsync(stale: b => !b.Rooms.Any(r => r.Room == room));
        Assert.Equal(1, batch.Rooms.Single(r => r.Room == room).MemberCount);
        await handle.UnsubscribeAsync();
    }
}
