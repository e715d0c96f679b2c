using System.ComponentModel.DataAnnotations;
using ActorChat.Contracts;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.ServerApi;

/// <summary>The server API's keys and limits, bound from <c>ActorChat:ServerApi</c>. See docs/integration.md.</summary>
public sealed class ServerApiOptions
{
    public const string Section = "ActorChat:ServerApi";

    /// <summary>The keys backends use. None configured: the server API refuses every call.</summary>
    public List<ApiKeyOptions> Keys { get; } = [];

    /// <summary>Sustained requests per second, per key, on this node.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make at once before the sustained rate applies.</summary>
    [Range(1, 1_000_000)]
    public int RequestBurst { get; set; } = 400;
}

/// <summary>One backend's key: its name (in logs and metrics), the SHA-256 of its secret, and what it may do.</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Lower- or upper-case hex SHA-256 of the secret's UTF-8 bytes (<c>deploy/api-key.sh</c> prints it); never the secret itself.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Any of <c>publish</c>, <c>rooms</c>, <c>users</c>, <c>read</c>, <c>webhooks</c>.</summary>
    public List<string> Scopes { get; } = [];
}

internal sealed class ServerApiOptionsValidator : IValidateOptions<ServerApiOptions>
{
    private readonly ServerApiOptionsDataValidator _data = new();

    public ValidateOptionsResult Validate(string? name, ServerApiOptions options)
    {
        var failures = new List<string>();
        if (_data.Validate(name, options) is { Failed: true } data)
        {
            failures.AddRange(data.Failures);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, index) in options.Keys.Select((k, i) => (k, i)))
        {
            var at = $"{ServerApiOptions.Section}:Keys:{index}";
            if (!ChatIds.IsValidUser(key.Name))
            {
                failures.Add($"{at}:Name must match ^[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}$.");
            }
            else if (!names.Add(key.Name))
            {
                failures.Add($"{at}:Name '{key.Name}' is used by another key.");
            }

            if (key.Hash.Length != 64 || !key.Hash.All(Uri.IsHexDigit))
            {
                failures.Add($"{at}:Hash must be the 64 hex digits of the secret's SHA-256 (deploy/api-key.sh prints it), not the secret.");
            }

            if (key.Scopes.Count == 0)
            {
                failures.Add($"{at}:Scopes is empty: the key could do nothing.");
            }

            failures.AddRange(key.Scopes.Where(s => !ApiKeyScopes.All.Contains(s))
                .Select(s => $"{at}:Scopes has '{s}'; known scopes are {string.Join(", ", ApiKeyScopes.All)}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

[OptionsValidator]
internal sealed partial class ServerApiOptionsDataValidator : IValidateOptions<ServerApiOptions>;
