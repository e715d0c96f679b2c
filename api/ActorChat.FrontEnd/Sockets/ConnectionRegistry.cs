using System.Collections.Concurrent;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>The open connections of this node, so shutdown can close them and operators can count them.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ChatConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(ChatConnection connection) => _connections[connection.Id] = connection;

    public void Remove(ChatConnection connection) => _connections.TryRemove(connection.Id, out _);

    /// <summary>Asks every open connection to close (1001 going away) and flush what it has queued.</summary>
    public void CloseAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Close(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        }
    }
}
