using Microsoft.AspNetCore.SignalR;

namespace ActorChat.Bench.Baselines;

/// <summary>
/// BASELINE, not the product: a minimal ASP.NET Core SignalR chat hub with groups for rooms, the peer a .NET
/// user would pick instead of ActorChat. In one process, with no storage.
/// </summary>
internal static class SignalRServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR(o => o.MaximumParallelInvocationsPerClient = 1);
        var app = builder.Build();
        app.MapGet("/health/ready", () => "Healthy");
        app.MapHub<ChatHub>("/hub");
        await app.RunAsync();
    }

    internal sealed class ChatHub : Hub
    {
        private static long _seq;

        public async Task<long> Join(string room)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, room);
            return Interlocked.Read(ref _seq);
        }

        public async Task<long> Send(string room, string text)
        {
            var seq = Interlocked.Increment(ref _seq);
            await Clients.Group(room).SendAsync("message", room, seq, text);
            return seq;
        }
    }
}
