using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// On shutdown, asks every connection to flush its queue and close with 1012 (service restart) as soon as stopping
/// begins: the web server waits for open requests, and a WebSocket or an event stream is one until it closes.
/// </summary>
internal sealed class ConnectionShutdown(ConnectionRegistry registry, IHostApplicationLifetime lifetime, IOptions<SocketOptions> options) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(registry.CloseAll);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync();
        registry.CloseAll();
        await registry.WaitEmptyAsync(options.Value.CloseTimeout, cancellationToken);
    }
}
