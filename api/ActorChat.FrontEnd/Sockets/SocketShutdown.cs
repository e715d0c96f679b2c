using Microsoft.Extensions.Hosting;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>On shutdown, closes every socket with 1001 before the cluster connection goes away.</summary>
internal sealed class SocketShutdown(ConnectionRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.CloseAll();
        return Task.CompletedTask;
    }
}
