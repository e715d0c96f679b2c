namespace ActorChat.FrontEnd.ServerApi;

/// <summary>What a server API key may do; each route asks for one scope.</summary>
internal static class ApiKeyScopes
{
    /// <summary>Post into any room as a bot or the system.</summary>
    public const string Publish = "publish";

    /// <summary>Create rooms, add and remove members.</summary>
    public const string Rooms = "rooms";

    /// <summary>End a user's sessions, revoke their tokens, erase them.</summary>
    public const string Users = "users";

    /// <summary>Read any room's history and members.</summary>
    public const string Read = "read";

    /// <summary>List and replay webhook dead letters.</summary>
    public const string Webhooks = "webhooks";

    public const string ClaimType = "scope";

    public static readonly IReadOnlyList<string> All = [Publish, Rooms, Users, Read, Webhooks];

    /// <summary>The authorization policy of routes that need <paramref name="scope"/>.</summary>
    public static string Policy(string scope) => $"server-api:{scope}";
}
