using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using ActorChat.Grains.Retention;
using ActorChat.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests;

/// <summary>
/// Retention trims rooms whether or not they get traffic, a bounded batch per room per step, on the silo's clock
/// (a fake one here, moved by the test).
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const int Batch = 10;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-retention-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private InProcessTestCluster _cluster = null!;

    private IRetentionGrain Sweeper => _cluster.Client.GetGrain<IRetentionGrain>(IRetentionGrain.Key);

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:DataDirectory"] = _directory,
            ["ActorChat:Rooms:RetainMessages"] = "40",
            ["ActorChat:Rooms:RetainFor"] = "1.00:00:00",
            ["ActorChat:Rooms:RetentionBatch"] = Batch.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // The silo's own sweep waits a week of fake time: here the test takes each step itself.
            ["ActorChat:Rooms:RetentionInterval"] = "7.00:00:00",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration).Services.UseFakeClock(_clock));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        // Grain timers run on the fake clock: let those due (the directory's batch) fire, or stopping waits for them.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Retention_by_count_keeps_the_newest_and_deletes_a_bounded_batch_per_step()
    {
        var room = _cluster.Client.GetGrain<IRoomGrain>("counted");
        await room.Join("alice");
        for (var i = 1; i <= 100; i++)
        {
            await room.Send("alice", $"m{i}", null);
        }

        // 60 must go, ten per step.
        var steps = new List<RetentionStep>();
        while (steps.Count == 0 || steps[^1].Deleted > 0)
        {
            steps.Add(await Sweeper.Sweep());
        }

        Assert.Equal([10, 10, 10, 10, 10, 10, 0], steps.Select(s => s.Deleted));
        var joined = await room.Join("alice");
        Assert.Equal((100L, 61L), (joined.LastSeq, joined.FirstAvailableSeq));
        var history = await room.History("alice", null, 200);
        Assert.Equal(Enumerable.Range(61, 40).Select(i => (long)i), history.Messages.Select(m => m.Seq));
        Assert.False(history.HasMore);
        Assert.Equal(61, (await room.ReadRange(0, 10)).Messages[0].Seq);

        // Numbering goes on from where it was, not from what is left.
        Assert.Equal(101, (await room.Send("alice", "m101", null)).Seq);
    }

    [Fact]
    public async Task Retention_by_age_trims_a_room_that_fell_silent()
    {
        var room = _cluster.Client.GetGrain<IRoomGrain>("silent");
        await room.Join("bob");
        for (var i = 1; i <= 5; i++)
        {
            await room.Send("bob", $"old {i}", null);
        }

        _clock.Advance(TimeSpan.FromHours(12));
        await room.Send("bob", "newer", null);

        // Nothing is older than a day yet.
        Assert.Equal(0, (await Sweeper.Sweep()).Deleted);

        // A day and a bit later, with no message since: the five old ones go, the newer stays.
        _clock.Advance(TimeSpan.FromHours(13));
        Assert.Equal(5, (await Sweeper.Sweep()).Deleted);
        var history = await room.History("bob", null, 10);
        Assert.Equal(["newer"], history.Messages.Select(m => m.Text));
        Assert.Equal(6, (await room.Join("bob")).FirstAvailableSeq);
    }
}
