using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace ActorChat.Grains;

internal sealed partial class UserGrain(
    [PersistentState("user", ChatProviders.Storage)] IPersistentState<UserState> user,
    IOptions<ChatLimits> limits,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // Live connections are not persisted: they belong to front-end processes, which re-register on reconnect.
    private readonly HashSet<string> _connections = new(StringComparer.Ordinal);
    private string _user = string.Empty;
    private IAsyncStream<UserEvent> _stream = null!;

    // Read pointers moved by the user's own sends and not stored yet. They go to disk with the next write of this
    // grain or on deactivation: a write per send doubled the disk writes of every send. A crash loses them,
    // which only shows those own messages as unread.
    private bool _unsaved;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _user = this.GetPrimaryKeyString();
        _stream = this.GetStreamProvider(ChatProviders.Streams).GetStream<UserEvent>(ChatStreams.ForUser(_user));
        return Task.CompletedTask;
    }

    public Task Connect(string connectionId)
    {
        if (_connections.Add(connectionId) && _connections.Count == 1)
        {
            AnnouncePresence(online: true);
        }

        return Task.CompletedTask;
    }

    public Task Disconnect(string connectionId)
    {
        if (_connections.Remove(connectionId) && _connections.Count == 0)
        {
            AnnouncePresence(online: false);
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsOnline() => Task.FromResult(_connections.Count > 0);

    public Task<IReadOnlyList<UserRoom>> Rooms() =>
        Task.FromResult<IReadOnlyList<UserRoom>>([.. user.State.Rooms.Select(r => new UserRoom(r.Key, r.Value))]);

    public async Task AddRoom(string room, bool creates)
    {
        var state = user.State;
        if (!state.Rooms.ContainsKey(room))
        {
            EnsureQuotas(room, creates);
            state.Rooms[room] = 0;
            if (creates)
            {
                state.RoomsCreated++;
                state.RecentCreations.Add(time.GetUtcNow());
            }
        }
        else if (!state.Invitations.Exists(i => i.Room == room))
        {
            return;
        }

        // Joining takes the invitation up.
        state.Invitations.RemoveAll(i => i.Room == room);
        await WriteAsync();
    }

    private void EnsureQuotas(string room, bool creates)
    {
        var quotas = limits.Value;
        if (!ChatIds.IsDirect(room) && user.State.Rooms.Keys.Count(r => !ChatIds.IsDirect(r)) >= quotas.MaxMembershipsPerUser)
        {
            throw new ChatException(ChatErrorCode.QuotaExceeded, $"A user may belong to at most {quotas.MaxMembershipsPerUser} rooms; leave one first.");
        }

        if (!creates)
        {
            return;
        }

        if (user.State.RoomsCreated >= quotas.MaxRoomsCreated)
        {
            throw new ChatException(ChatErrorCode.QuotaExceeded, $"A user may create at most {quotas.MaxRoomsCreated} rooms.");
        }

        var recent = user.State.RecentCreations;
        var windowStart = time.GetUtcNow() - quotas.RoomCreationWindow;
        recent.RemoveAll(at => at <= windowStart);
        if (recent.Count >= quotas.MaxRoomCreationsPerWindow)
        {
            var next = recent[0] + quotas.RoomCreationWindow;
            throw new ChatException(ChatErrorCode.QuotaExceeded,
                $"A user may create at most {quotas.MaxRoomCreationsPerWindow} rooms per {quotas.RoomCreationWindow}; the next one is allowed at {next:O}.");
        }
    }

    public async Task RemoveRoom(string room)
    {
        if (user.State.Rooms.Remove(room))
        {
            await WriteAsync();
        }
    }

    public async Task<long> AdvanceRead(string room, long seq)
    {
        if (!user.State.Rooms.TryGetValue(room, out var current))
        {
            throw new ChatException(ChatErrorCode.NotMember, "Join the room first.");
        }

        if (seq <= current)
        {
            return current;
        }

        user.State.Rooms[room] = seq;
        await WriteAsync();
        return seq;
    }

    public Task MarkSent(string room, long seq)
    {
        if (user.State.Rooms.TryGetValue(room, out var current) && seq > current)
        {
            user.State.Rooms[room] = seq;
            _unsaved = true;
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved)
        {
            await WriteAsync();
        }
    }

    /// <summary>Stores the whole state, the pointers moved by sends included.</summary>
    private async Task WriteAsync()
    {
        var unsaved = _unsaved;
        _unsaved = false;
        try
        {
            await user.WriteStateAsync();
        }
        catch
        {
            _unsaved |= unsaved;
            throw;
        }
    }

    public async Task Invited(Invitation invitation)
    {
        if (user.State.Rooms.ContainsKey(invitation.Room))
        {
            return;
        }

        // A repeated invitation moves to the newest place; beyond the limit the oldest notices go.
        var invitations = user.State.Invitations;
        invitations.RemoveAll(i => i.Room == invitation.Room);
        invitations.Add(invitation);
        var excess = invitations.Count - limits.Value.MaxPendingInvitations;
        if (excess > 0)
        {
            invitations.RemoveRange(0, excess);
        }

        await WriteAsync();
        if (_connections.Count > 0)
        {
            await _stream.OnNextAsync(new InvitationReceived(invitation));
        }
    }

    public Task<IReadOnlyList<Invitation>> Invitations() =>
        Task.FromResult<IReadOnlyList<Invitation>>([.. user.State.Invitations]);

    public async Task DropInvitation(string room)
    {
        if (user.State.Invitations.RemoveAll(i => i.Room == room) > 0)
        {
            await WriteAsync();
        }
    }

    public async Task DeliverDirect(ChatMessage message)
    {
        if (_connections.Count > 0)
        {
            await _stream.OnNextAsync(new DirectMessageReceived(message));
        }
    }

    // One-way calls: the user grain never waits on a room grain, so room -> user calls cannot deadlock.
    private void AnnouncePresence(bool online)
    {
        foreach (var room in user.State.Rooms.Keys)
        {
            GrainFactory.GetGrain<IRoomGrain>(room).PresenceChanged(_user, online).Ignore();
        }

        LogPresence(logger, _user, online);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {User} online: {Online}")]
    private static partial void LogPresence(ILogger logger, string user, bool online);
}
