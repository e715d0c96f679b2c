using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

/// <summary>A front-end node's observer of user events, as a test sees it: each event told, awaited with a deadline.</summary>
public sealed class UserEventProbe : IUserEventObserver
{
    private readonly EventProbe<(string User, UserEvent Event)> _events = new();

    /// <summary>Events told and not yet taken.</summary>
    public int Pending => _events.Pending;

    public Task<(string User, UserEvent Event)> NextAsync() => _events.NextAsync();

    public Task OnUserEvent(string user, UserEvent userEvent)
    {
        _events.Add((user, userEvent));
        return Task.CompletedTask;
    }
}
