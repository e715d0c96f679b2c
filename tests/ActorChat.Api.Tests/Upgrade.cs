using System.Net;
using System.Net.WebSockets;

namespace ActorChat.Api.Tests;

/// <summary>A WebSocket upgrade attempt that only reports how it went.</summary>
public static class Upgrade
{
    /// <summary>101 when a socket opened (it is aborted at once), else the status the server refused it with.</summary>
    public static async Task<HttpStatusCode> StatusAsync(Uri address, string? bearer = null, IReadOnlyList<string>? subprotocols = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var subprotocol in subprotocols ?? [])
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        }

        using var timeout = new CancellationTokenSource(ChatClient.Deadline);
        try
        {
            await socket.ConnectAsync(address, timeout.Token);
            socket.Abort();
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    /// <summary><paramref name="address"/> with <c>?name=value</c> (the value escaped).</summary>
    public static Uri WithQuery(Uri address, string name, string value) =>
        new UriBuilder(address) { Query = $"{name}={Uri.EscapeDataString(value)}" }.Uri;
}
