using Microsoft.AspNetCore.SignalR.Client;

namespace ActorChat.Bench.Load;

/// <summary>A client of the SignalR baseline hub.</summary>
internal sealed class SignalRDriver : IChatDriver
{
    private readonly HubConnection _connection;

    private SignalRDriver(HubConnection connection)
    {
        _connection = connection;
        _connection.On<string, long, string>("message", (_, _, text) => OnMessage?.Invoke(Clock.ReadStamp(text)));
    }

    public Action<long>? OnMessage { get; set; }

    public static async Task<SignalRDriver> ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                // WebSockets only and no negotiate request: one socket per client, as for the other servers.
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        var driver = new SignalRDriver(connection);
        await connection.StartAsync(cancellationToken);
        return driver;
    }

    public Task JoinAsync(string room) => _connection.InvokeAsync<long>("Join", room);

    public Task SendAsync(string room, string text) => _connection.InvokeAsync<long>("Send", room, text);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
