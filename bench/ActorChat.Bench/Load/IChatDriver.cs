namespace ActorChat.Bench.Load;

/// <summary>One client connection of one server under test, as the load generator sees it.</summary>
internal interface IChatDriver : IAsyncDisposable
{
    /// <summary>Called for every message received, with its send time (or -1 when it carries none).</summary>
    Action<long>? OnMessage { get; set; }

    Task JoinAsync(string room);

    /// <summary>Sends and completes when the server acknowledges.</summary>
    Task SendAsync(string room, string text);
}
