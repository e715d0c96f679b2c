using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task References_built_from_the_recorded_types_are_the_ones_Orleans_builds_and_reach_the_same_grains()
    {
        var room = $"refs-{Guid.NewGuid():N}"[..20];
        var user = $"u-{Guid.NewGuid():N}"[..20];

        // The first call of each kind records the types, the second builds from them; both must match Orleans'.
        for (var i = 0; i < 2; i++)
        {
            AssertSame(fixture.Client.GetGrain<IRoomGrain>(room), fixture.Client.Room(room));
            AssertSame(fixture.Client.GetGrain<IUserGrain>(user), fixture.Client.User(user));
            AssertSame(fixture.Client.GetGrain<ITicketShardGrain>(7), fixture.Client.Grain<ITicketShardGrain>(7));
        }

        var joined = await fixture.Client.Room(room).Join(user);
        Assert.Equal(1, joined.MemberCount);
        Assert.Equal(1, (await fixture.Client.GetGrain<IRoomGrain>(room).Info()).MemberCount);
        Assert.Contains(await fixture.Client.User(user).Rooms(), m => m.Room == room);
    }

    private static void AssertSame<T>(T expected, T actual) where T : IAddressable
    {
        var orleans = Assert.IsAssignableFrom<GrainReference>(expected);
        var ours = Assert.IsAssignableFrom<GrainReference>(actual);
        Assert.Equal(orleans.GrainId, ours.GrainId);
        Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
        Assert.Equal(orleans.GetType(), ours.GetType());
    }
}
