using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

/// <summary>
/// One user: the live connections (so presence goes out when the first opens and the last closes), and the
/// front-end nodes they are on, which hear direct messages, invitations and ended sessions. Memberships, read
/// pointers and invitations are records in the store, written by the rooms and read here.
/// </summary>
internal sealed partial class UserGrain(IChatStore store, TimeProvider time, IOptions<ChatStreamOptions> streams, IOptions<RoomOptions> rooms, ILogger<UserGrain> logger)
    : Grain, IUserGrain
{
    // Tokens issued before this are refused; read from the store once per activation.
    private DateTimeOffset? _tokensAfter;

    // Live connections are not persisted: they belong to front-end processes, which re-register on reconnect.
    private readonly HashSet<string> _connections = new(StringComparer.Ordinal);

    // The nodes to tell, each with the feed that attached it last: as many as front ends the user is connected
    // through, not as many as connections.
    private readonly Dictionary<IUserEventObserver, Guid> _nodes = [];
    private string _user = string.Empty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _user = this.GetPrimaryKeyString();
        return Task.CompletedTask;
    }

    public async Task Connect(string connectionId)
    {
        if (_connections.Add(connectionId) && _connections.Count == 1)
        {
            await AnnouncePresenceAsync(online: true);
        }
    }

    public async Task<bool> Connect(string connectionId, DateTimeOffset? issuedAt)
    {
        if (!await Accepts(issuedAt))
        {
            return false;
        }

        await Connect(connectionId);
        return true;
    }

    public async Task<bool> Accepts(DateTimeOffset? issuedAt)
    {
        var tokensAfter = await TokensAfterAsync();

        // A token without an issue time cannot be told apart: refused once anything was revoked.
        return tokensAfter == DateTimeOffset.MinValue || (issuedAt is { } at && at >= tokensAfter);
    }

    public async Task EndSessions(bool revokeTokens)
    {
        // Seconds: JWT issue times are whole seconds, so a token issued in this very second would slip through.
        var now = time.GetUtcNow();
        var at = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (revokeTokens)
        {
            await store.RevokeTokensAsync(_user, at);
            _tokensAfter = at;
        }

        var ended = new SessionsEnded(at, revokeTokens);
        Tell(ended);

        // Front ends of earlier releases listened on the user's stream; while a rolling upgrade mixes releases, their
        // connections must end too. Made here, not per activation: a stream handle held by every user grain cost
        // each connected user half a kilobyte.
        if (streams.Value.Publish)
        {
            await this.GetStreamProvider(ChatProviders.Streams).GetStream<UserEvent>(ChatStreams.ForUser(_user)).OnNextAsync(ended);
        }

        LogSessionsEnded(logger, revokeTokens);
    }

    public async Task Disconnect(string connectionId)
    {
        if (_connections.Remove(connectionId) && _connections.Count == 0)
        {
            await AnnouncePresenceAsync(online: false);
        }
    }

    public async Task<DateTimeOffset> Attach(IUserEventObserver node, Guid feed)
    {
        _nodes[node] = feed;
        return await TokensAfterAsync();
    }

    public Task Detach(IUserEventObserver node, Guid feed)
    {
        if (_nodes.TryGetValue(node, out var attached) && attached == feed)
        {
            _nodes.Remove(node);
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsOnline() => Task.FromResult(_connections.Count > 0);

    public async Task<IReadOnlyList<UserRoom>> Rooms() =>
        [.. (await store.MembershipsAsync(_user)).Select(m => new UserRoom(m.Room, m.LastRead, m.LastSeq, m.Unread, m.Mentions))];

    public async Task<IReadOnlyList<string>> Erase()
    {
        var rooms = await store.EraseUserAsync(_user);

        // Rooms that held the user in memory (their newest messages, their membership) forget it too.
        await Task.WhenAll(rooms.Select(room => GrainFactory.Room(room).Forget(_user)));
        LogErased(logger, rooms.Count);
        DeactivateOnIdle();
        return rooms;
    }

    public Task Invited(Invitation invitation)
    {
        Tell(new InvitationReceived(invitation));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Invitation>> Invitations() => store.InvitationsAsync(_user);

    public Task DeliverDirect(ChatMessage message)
    {
        Tell(new DirectMessageReceived(message));
        return Task.CompletedTask;
    }

    private async Task<DateTimeOffset> TokensAfterAsync() => _tokensAfter ??= await store.TokensValidAfterAsync(_user);

    // One-way calls: a node that went away without detaching costs a dropped message, never a wait.
    private void Tell(UserEvent userEvent)
    {
        foreach (var node in _nodes.Keys)
        {
            node.OnUserEvent(_user, userEvent).Ignore();
        }
    }

    // One-way calls: the user grain never waits on a room grain, so room -> user calls cannot deadlock. Rooms above
    // the presence limit are not told (they would drop it), so a member's every connect does not wake a big room.
    private async Task AnnouncePresenceAsync(bool online)
    {
        foreach (var room in await store.PresenceRoomsAsync(_user, rooms.Value.PresenceMemberLimit))
        {
            GrainFactory.Room(room).PresenceChanged(_user, online).Ignore();
        }

        LogPresence(logger, _user, online);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A backend ended a user's sessions (tokens revoked: {Revoked})")]
    private static partial void LogSessionsEnded(ILogger logger, bool revoked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A user was erased from {Rooms} rooms")]
    private static partial void LogErased(ILogger logger, int rooms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {User} online: {Online}")]
    private static partial void LogPresence(ILogger logger, string user, bool online);
}
