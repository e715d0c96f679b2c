using System.Net.WebSockets;

namespace ActorChat.Client;

/// <summary>What a <see cref="ChatClient"/> connects to and how it behaves when the connection drops.</summary>
public sealed class ChatClientOptions
{
    /// <summary>The server's base address, <c>http://</c> or <c>https://</c> (the socket is <c>ws(s)://</c> at <see cref="SocketPath"/>).</summary>
    public required Uri Server { get; init; }

    /// <summary>
    /// Called before every connect and reconnect for the token to use, so an expired one (close 4001) can be
    /// replaced. If it throws anything but a network failure, the client stops (state Closed, code unauthorized).
    /// </summary>
    public required Func<CancellationToken, ValueTask<string>> TokenProvider { get; init; }

    public ChatAuthMode AuthMode { get; init; } = ChatAuthMode.Ticket;

    public string SocketPath { get; init; } = "/ws";

    public string TicketPath { get; init; } = "/api/auth/ticket";

    public ChatBackoff Backoff { get; init; } = ChatBackoff.Default;

    /// <summary>How long a request waits for its reply, the wait for a connection included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one attempt to open a socket (ticket, upgrade, welcome) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>For the ticket requests; by default the client makes one and disposes of it with itself.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Anything else about each socket (headers, proxy, keep-alive) before it connects.</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; init; }

    /// <summary>A token that never changes, as a <see cref="TokenProvider"/>.</summary>
    public static Func<CancellationToken, ValueTask<string>> Token(string token) => _ => ValueTask.FromResult(token);

    internal Uri SocketAddress(string? ticket)
    {
        var builder = new UriBuilder(Server)
        {
            Scheme = Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = SocketPath,
            Query = ticket is null ? string.Empty : $"ticket={Uri.EscapeDataString(ticket)}",
        };
        return builder.Uri;
    }
}
