using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.Storage;

/// <summary>Where rooms, messages and memberships are stored, bound from <c>ActorChat:Storage</c>. See docs/configuration.md.</summary>
public sealed class StorageOptions
{
    public const string Section = "ActorChat:Storage";

    /// <summary><c>Sqlite</c> (default: a file under <see cref="DataDirectory"/>), <c>Postgres</c> (clusters) or <c>Memory</c> (lost on exit; tests).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Directory of the SQLite file, relative to the working directory unless absolute.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Npgsql connection string for <c>Postgres</c> (<c>Host=...;Database=...;Username=...;Password=...</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>StackExchange.Redis configuration string for the stream subscriptions of a cluster with Redis membership; falls back to <c>ActorChat:Redis</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// Transactions a silo commits at once on PostgreSQL, each carrying every write that was waiting (group commit).
    /// SQLite has one writer whatever this says. One by default: every commit writes at least a WAL page, so more
    /// writers mean smaller batches and more WAL per write (a join: 13-16 KiB with one, 16-26 KiB with four, at the
    /// same join rate); raise it when the database has idle cores and commit latency, not WAL, is the limit.
    /// </summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 1;

    /// <summary>Most writes one transaction carries.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 512;
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
    Memory,
}

[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
