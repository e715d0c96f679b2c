using ActorChat.Contracts;
using ActorChat.Storage;
using ActorChat.Storage.Sql;
using Npgsql;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>A PostgreSQL database written by the previous release (schema version 4) opens in this one with nothing lost.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresUpgradeTests(PostgresFixture postgres)
{
    // The release before the directory's index named `listed`: its rows below are written as that schema had them.
    private const int PreviousVersion = 4;
    private static readonly JoinQuotas Roomy = new(MaxMemberships: 1000, MaxRoomsCreated: 1000, MaxCreationsPerWindow: 1000, CreationWindow: TimeSpan.FromHours(1));
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_database_of_the_previous_schema_keeps_its_directory_and_the_directory_index_no_longer_names_the_member_count()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync($"upgrade{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var migration in PostgresDialect.Instance.Migrations.Take(PreviousVersion))
            {
                await ExecuteAsync(connection, migration);
            }

            await ExecuteAsync(connection, $"""
                CREATE TABLE chat_schema (version INTEGER NOT NULL);
                INSERT INTO chat_schema (version) VALUES ({PreviousVersion});
                INSERT INTO rooms (room, created_at, created_by, is_private, is_direct, member_count) VALUES
                    ('lobby', 0, 'ann', false, false, 2),
                    ('secret', 0, 'ann', true, false, 1),
                    ('quiet', 0, 'ann', false, false, 0);
                INSERT INTO members (room, user_id, joined_at, role) VALUES ('lobby', 'ann', 0, 2), ('lobby', 'bob', 0, 0), ('secret', 'ann', 0, 2);
                INSERT INTO users (user_id, memberships) VALUES ('ann', 2), ('bob', 1);
                """);
        }

        await using (var opened = await StoreFactory.OpenAsync(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString }))
        {
            var store = opened.Store;
            Assert.Equal([new RoomListing("lobby", 2)], await store.ListedRoomsAsync(null, 10));
            Assert.Equal(["ann", "bob"], (await store.MembersAsync("lobby", null, 10)).Select(m => m.User));

            // The listing follows the member count both ways: a room listed when its first member joins, unlisted when its last leaves.
            await store.JoinAsync(new JoinCommand("quiet", "cy", Now, CreatePrivate: false, Direct: false, Roomy));
            Assert.Equal([new RoomListing("lobby", 2), new RoomListing("quiet", 1)], await store.ListedRoomsAsync(null, 10));
            await store.LeaveAsync("lobby", "ann", direct: false);
            await store.LeaveAsync("lobby", "bob", direct: false);
            Assert.Equal([new RoomListing("quiet", 1)], await store.ListedRoomsAsync(null, 10));
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE indexname = 'rooms_listed'", connection);
            var definition = (string)(await command.ExecuteScalarAsync())!;

            // A column in an index's predicate makes every update of it a new entry in each index of the table.
            Assert.DoesNotContain("member_count", definition, StringComparison.Ordinal);
            Assert.EndsWith("WHERE listed", definition, StringComparison.Ordinal);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
