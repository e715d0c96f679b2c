using System.Text.Json;

namespace ActorChat.Cli;

/// <summary>Tokens saved by <c>login</c>, one per server, in a file only the user can read.</summary>
internal sealed class Credentials(string directory)
{
    private string FilePath => Path.Combine(directory, "credentials.json");

    public static Credentials Default(Func<string, string?> environment) =>
        new(environment("ACTORCHAT_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "actorchat"));

    public SavedToken? Find(Uri server) => Load().GetValueOrDefault(Key(server));

    public void Save(Uri server, SavedToken token)
    {
        var all = Load();
        all[Key(server)] = token;
        Directory.CreateDirectory(directory);
        File.WriteAllText(FilePath, JsonSerializer.Serialize(all));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private Dictionary<string, SavedToken> Load()
    {
        if (!File.Exists(FilePath))
        {
            return new Dictionary<string, SavedToken>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, SavedToken>>(File.ReadAllText(FilePath)) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw new CliException("config", $"{FilePath} is not valid JSON; delete it and sign in again.");
        }
    }

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}

internal sealed record SavedToken(string User, string Token, DateTimeOffset ExpiresAt);
