using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests;

/// <summary>
/// A real two-silo cluster with a client, shared by every test in <see cref="ClusterCollection"/>. Both silos
/// store in one SQLite file in a directory of the fixture's own, as silos of a cluster share one database.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-grains-{Guid.NewGuid():N}");

    public const int PresenceMemberLimit = 5;
    public const int MaxPendingInvitations = 3;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Rooms:PresenceMemberLimit"] = PresenceMemberLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ActorChat:Rooms:DedupWindow"] = "50",
            ["ActorChat:Limits:MaxPendingInvitations"] = MaxPendingInvitations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ActorChat:Streams:PollInterval"] = "00:00:00.005",

            // The rolling-upgrade path stays tested: grains also publish on the streams older front ends follow.
            ["ActorChat:Streams:Publish"] = "true",
            ["ActorChat:Storage:Provider"] = "Sqlite",
            ["ActorChat:Storage:DataDirectory"] = _directory,
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration));
        builder.ConfigureClient(client => client.AddMemoryStreams(ChatProviders.Streams));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
