using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>Where grain state lives, bound from <c>ActorChat:Storage</c>. See docs/configuration.md.</summary>
public sealed class StorageOptions
{
    public const string Section = "ActorChat:Storage";

    /// <summary><c>Sqlite</c> (default: a file under <see cref="DataDirectory"/>), <c>Redis</c> (clusters) or <c>Memory</c> (lost on exit).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Directory of the SQLite file, relative to the working directory unless absolute.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>StackExchange.Redis configuration string for <c>Redis</c>; falls back to <c>ActorChat:Redis</c>.</summary>
    public string? Redis { get; set; }
}

public enum StorageProvider
{
    Sqlite,
    Redis,
    Memory,
}
