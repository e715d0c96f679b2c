using System.Threading.Channels;
using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

/// <summary>A front-end node's observer of user events, as a test sees it: each event told, awaited with a deadline.</summary>
public sealed class UserEventProbe : IUserEventObserver
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Channel<(string User, UserEvent Event)> _events = Channel.CreateUnbounded<(string, UserEvent)>();

    /// <summary>Events told and not yet taken.</summary>
    public int Pending => _events.Reader.Count;

    public async Task<(string User, UserEvent Event)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    public Task OnUserEvent(string user, UserEvent userEvent)
    {
        _events.Writer.TryWrite((user, userEvent));
        return Task.CompletedTask;
    }
}
