using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's one observer of user events: user grains tell it what is addressed to their users, and it hands each
/// event to the user's feed on this node, if the user still has a connection here.
/// </summary>
internal sealed class NodeUserEvents : IUserEventObserver
{
    private readonly Func<string, UserFeed?> _find;
    private readonly Lazy<IUserEventObserver> _reference;

    public NodeUserEvents(IClusterClient client, Func<string, UserFeed?> find)
    {
        _find = find;

        // Made on first use, once the cluster client runs; the relay holds this object, so the reference stays valid.
        _reference = new Lazy<IUserEventObserver>(() => client.CreateObjectReference<IUserEventObserver>(this));
    }

    /// <summary>The reference user grains call.</summary>
    public IUserEventObserver Reference => _reference.Value;

    public Task OnUserEvent(string user, UserEvent userEvent)
    {
        _find(user)?.Deliver(userEvent);
        return Task.CompletedTask;
    }
}
