using ActorChat.Storage;
using ActorChat.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>A SQLite data directory written by the previous release (schema version 4) opens in this one with nothing lost.</summary>
public sealed class SqliteUpgradeTests : IDisposable
{
    // The release before mentions were indexed by message: its rows below are written as that schema had them.
    private const int PreviousVersion = 4;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-upgrade-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_data_directory_of_the_previous_schema_keeps_its_messages_and_mentions_and_erases_through_the_new_index()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "actorchat.db");
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var migration in SqliteDialect.Instance.Migrations.Take(PreviousVersion))
            {
                await ExecuteAsync(connection, migration);
            }

            await ExecuteAsync(connection, $"""
                CREATE TABLE chat_schema (version INTEGER NOT NULL);
                INSERT INTO chat_schema (version) VALUES ({PreviousVersion});
                INSERT INTO rooms (room, created_at, created_by, is_private, is_direct, member_count, last_seq) VALUES ('lobby', 0, 'ann', 0, 0, 2, 2);
                INSERT INTO members (room, user_id, joined_at, role) VALUES ('lobby', 'ann', 0, 2), ('lobby', 'bob', 0, 0);
                INSERT INTO users (user_id, memberships) VALUES ('ann', 1), ('bob', 1);
                INSERT INTO messages (room, seq, sender, text, ts, mentions) VALUES ('lobby', 1, 'bob', 'hello @ann', 0, 'ann'), ('lobby', 2, 'bob', 'and you', 0, NULL);
                INSERT INTO mentions (user_id, room, seq) VALUES ('ann', 'lobby', 1);
                """);
        }

        await using (var opened = await StoreFactory.OpenAsync(new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = _directory }))
        {
            var store = opened.Store;
            var before = Assert.Single(await store.MembershipsAsync("ann"));
            Assert.Equal(("lobby", 2L, 2, 1), (before.Room, before.LastSeq, before.Unread, before.Mentions));

            // The sender erased: the mention of ann goes with the message it was in, found through the new index.
            Assert.Equal(["lobby"], await store.EraseUserAsync("bob"));
            var after = Assert.Single(await store.MembershipsAsync("ann"));
            Assert.Equal((2L, 0, 0), (after.LastSeq, after.Unread, after.Mentions));
        }

        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT sql FROM sqlite_master WHERE name = 'mentions_by_message'", connection);
            Assert.Equal("CREATE INDEX mentions_by_message ON mentions (room, seq)", await command.ExecuteScalarAsync());
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
