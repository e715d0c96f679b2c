using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>
/// A data directory written by the blob-per-grain release (tests/fixtures/legacy-v1) opens in this one with every
/// room, member, message, read pointer and invitation as that release itself reported them.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "legacy-v1");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-upgrade-{Guid.NewGuid():N}");
    private readonly JsonElement _expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json"))).RootElement;

    public UpgradeTests()
    {
        Directory.CreateDirectory(_directory);
        File.Copy(Path.Combine(Fixture, "actorchat.db"), Path.Combine(_directory, "actorchat.db"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_data_directory_of_the_blob_per_grain_release_opens_with_nothing_lost()
    {
        await using (var cluster = await StartAsync())
        {
            await AssertAsExpectedAsync(cluster.Client);
            await cluster.StopAllSilosAsync();
        }

        // The old table is kept aside, not read again: a second start finds the same, once.
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'legacy_grain_state'"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'grain_state'"));
        await using (var again = await StartAsync())
        {
            await AssertAsExpectedAsync(again.Client);

            // It goes on from there: numbering continues, private rooms still admit only their own.
            var lobby = again.Client.GetGrain<IRoomGrain>("lobby");
            Assert.Equal(41, (await lobby.Send("carol", "after the upgrade", null)).Seq);
            var refused = await Assert.ThrowsAsync<ChatException>(() => again.Client.GetGrain<IRoomGrain>("secret").Join("carol"));
            Assert.Equal(ChatErrorCode.NotFound, refused.Code);
            Assert.Equal(3, (await again.Client.GetGrain<IRoomGrain>("secret").Join("dave")).MemberCount);
            var abandoned = again.Client.GetGrain<IRoomGrain>("abandoned");
            await abandoned.Join("carol");
            var left = Assert.Single((await abandoned.History("carol", null, 10)).Messages);
            Assert.Equal((1L, "carol", "anyone?"), (left.Seq, left.From, left.Text));
            await again.StopAllSilosAsync();
        }
    }

    private async Task AssertAsExpectedAsync(IClusterClient client)
    {
        foreach (var room in _expected.GetProperty("rooms").EnumerateObject())
        {
            var reader = room.Value.GetProperty("members")[0].GetString()!;
            var grain = client.GetGrain<IRoomGrain>(room.Name);
            var messages = new List<ChatMessage>();
            var page = await grain.After(reader, 0, 200);
            messages.AddRange(page.Messages);
            Assert.False(page.HasMore);
            var expected = room.Value.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(
                m.GetProperty("room").GetString()!, m.GetProperty("seq").GetInt64(), m.GetProperty("from").GetString()!, m.GetProperty("text").GetString()!,
                DateTimeOffset.Parse(m.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                m.TryGetProperty("clientMsgId", out var id) ? id.GetString() : null)).ToList();
            Assert.Equal(expected, messages);

            var members = await grain.Members(reader, null, 500);
            Assert.Equal(room.Value.GetProperty("members").EnumerateArray().Select(m => m.GetString()), members.Members.Select(m => m.User));
        }

        foreach (var user in _expected.GetProperty("users").EnumerateObject())
        {
            var grain = client.GetGrain<IUserGrain>(user.Name);
            var rooms = await grain.Rooms();
            Assert.Equal(
                user.Value.GetProperty("rooms").EnumerateArray().Select(r => (r.GetProperty("room").GetString(), r.GetProperty("lastRead").GetInt64(), r.GetProperty("lastSeq").GetInt64())),
                rooms.Select(r => ((string?)r.Room, r.LastRead, r.LastSeq)));
            var invitations = await grain.Invitations();
            Assert.Equal(
                user.Value.GetProperty("invitations").EnumerateArray().Select(i => (i.GetProperty("room").GetString(), i.GetProperty("by").GetString(),
                    DateTimeOffset.Parse(i.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture))),
                invitations.Select(i => ((string?)i.Room, (string?)i.By, i.At)));
        }

        var listed = await client.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).List(null, 100);
        Assert.Equal(
            _expected.GetProperty("directory").EnumerateArray().Select(d => new RoomListing(d.GetProperty("room").GetString()!, d.GetProperty("members").GetInt32())),
            listed);
    }

    private async Task<InProcessTestCluster> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:DataDirectory"] = _directory,
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "actorchat.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
