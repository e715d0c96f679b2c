using ActorChat.Storage.Postgres;
using Npgsql;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>
/// The PostgreSQL store prepares its statements, and does not reset a pooled connection it gives back, unless the
/// operator's connection string says how.
/// </summary>
public sealed class AutoPrepareTests
{
    [Fact]
    public void A_connection_string_without_a_say_gets_statements_prepared()
    {
        var prepared = new NpgsqlConnectionStringBuilder(PostgresStore.WithStoreDefaults("Host=db;Database=actorchat;Username=chat"));

        Assert.True(prepared.MaxAutoPrepare >= 64);
        Assert.True(prepared.NoResetOnClose);
        Assert.Equal("db", prepared.Host);
        Assert.Equal("actorchat", prepared.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=7", 7)]
    [InlineData("Host=db;max auto prepare=12", 12)]
    public void An_operators_own_setting_is_kept_even_when_it_turns_preparing_off(string connectionString, int expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresStore.WithStoreDefaults(connectionString)).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;noresetonclose=False")]
    public void An_operator_who_wants_connections_reset_keeps_it(string connectionString)
    {
        Assert.False(new NpgsqlConnectionStringBuilder(PostgresStore.WithStoreDefaults(connectionString)).NoResetOnClose);
    }
}
