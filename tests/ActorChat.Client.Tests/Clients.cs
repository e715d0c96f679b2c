namespace ActorChat.Client.Tests;

/// <summary>Library clients of a test server, and waiting on their events with a deadline (never a sleep).</summary>
internal static class Clients
{
    public static readonly TimeSpan Deadline = SocketClient.Deadline;

    public static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    public static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    /// <summary>A client of <paramref name="server"/> (or of <paramref name="through"/>, a proxy in front of it) signed in with the development login.</summary>
    public static ChatClient For(ChatServer server, string user, ChatAuthMode mode = ChatAuthMode.Ticket, Uri? through = null) =>
        new(new ChatClientOptions
        {
            Server = through ?? server.BaseAddress,
            TokenProvider = _ => new ValueTask<string>(server.TokenAsync(user)),
            AuthMode = mode,
            Backoff = new ChatBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
        });

    public static async Task<ChatClient> ConnectedAsync(ChatServer server, string user, ChatAuthMode mode = ChatAuthMode.Ticket)
    {
        var client = For(server, user, mode);
        await client.ConnectAsync();
        return client;
    }
}
