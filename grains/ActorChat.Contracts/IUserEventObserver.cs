using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>
/// A front-end node's one receiver of what is addressed to users connected there (direct messages, invitations, ended
/// sessions). A user grain holds the nodes its user is connected on (<see cref="IUserGrain.Attach"/>) and tells each
/// of them once; the node hands the event to its local connections of that user. One observer per node, not a
/// stream per user: a stream subscription per connected user cost every socket a pub-sub grain and its registration.
/// </summary>
[Alias("ActorChat.IUserEventObserver")]
public interface IUserEventObserver : IGrainObserver
{
    /// <summary>One-way: a user grain never waits on a front end.</summary>
    [OneWay]
    [Alias("OnUserEvent")]
    Task OnUserEvent(string user, UserEvent userEvent);
}
