using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>Every wait takes a cancellation token and ends when it is cancelled.</summary>
[Collection(ServerCollection.Name)]
public sealed class CancellationTests(ChatServer server)
{
    [Fact]
    public async Task Cancelling_ends_a_connect_a_request_waiting_for_a_connection_and_an_enumeration()
    {
        await using (var never = For(server, NewUser("never")))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => never.ConnectAsync(new CancellationToken(canceled: true)));
            Assert.Equal(ChatConnectionState.Disconnected, never.State);
        }

        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var chat = For(server, NewUser("patient"), through: proxy.Address);
        using var log = new EventLog(chat);
        await chat.ConnectAsync();
        using var stop = new CancellationTokenSource();
        await using var events = chat.Events(stop.Token).GetAsyncEnumerator(stop.Token);

        proxy.Sever();
        await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Reconnecting);
        using var cancel = new CancellationTokenSource();
        var waiting = chat.SendAsync("nowhere", "never sent", cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        var next = events.MoveNextAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }
}
