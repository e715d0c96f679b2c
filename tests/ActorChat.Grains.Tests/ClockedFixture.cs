using ActorChat.Grains.Hosting;
using ActorChat.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests;

/// <summary>
/// A one-silo cluster on a <see cref="FakeTimeProvider"/> the tests move: edit windows, bans and mutes with an end,
/// and slow mode are tested by advancing time, not by waiting. Stores in SQLite in a directory of its own, which
/// tests may read to see what is stored.
/// </summary>
public sealed class ClockedFixture : IAsyncLifetime
{
    public const int SlowModeSeconds = 30;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"actorchat-clocked-{Guid.NewGuid():N}");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public string Database => Path.Combine(Directory, "actorchat.db");

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:DataDirectory"] = Directory,
            ["ActorChat:Rooms:EditWindow"] = "01:00:00",
            ["ActorChat:Limits:MaxReactionKinds"] = "3",
            ["ActorChat:Limits:MaxMentions"] = "3",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration).Services.UseFakeClock(Clock));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        // Grain timers run on the fake clock: let those due fire, or stopping waits for them.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClockedCollection : ICollectionFixture<ClockedFixture>
{
    public const string Name = "clocked";
}
