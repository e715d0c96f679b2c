using ActorChat.Contracts;
using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// A room's membership as its grain sees it: the room's own record, and who belongs, asked of the store and kept
/// for recent users. Joins and leaves go to the store one record each, concurrently, so a wave of joins into one
/// room shares commits; the member count follows each outcome (+1, -1), whatever order they finish in.
/// </summary>
internal sealed class RoomMembers(string room, bool direct, IChatStore store, ChatLimits limits, RoomOptions options, TimeProvider time)
{
    private readonly UserCache<Admission> _cache = new(options.MemberCacheSize);
    private readonly UserCache<MemberState> _states = new(options.MemberCacheSize);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private RoomRecord? _record;

    public bool Exists => _record is not null;

    public bool IsPrivate => _record?.IsPrivate ?? false;

    public string? Topic => _record?.Topic;

    public int SlowModeSeconds => _record?.SlowModeSeconds ?? 0;

    public int Count { get; private set; }

    public async Task LoadAsync()
    {
        _record = await store.RoomAsync(room);
        Count = _record?.MemberCount ?? 0;
    }

    public async Task<Admission> AdmissionOfAsync(string user)
    {
        if (_cache.TryGet(user, out var admission))
        {
            return admission;
        }

        admission = await store.AdmissionAsync(room, user);
        _cache.Set(user, admission);
        return admission;
    }

    /// <summary>A member's role, mute and last message time; null when not a member.</summary>
    public async Task<MemberState?> StateOfAsync(string user)
    {
        if (_states.TryGet(user, out var state))
        {
            return state;
        }

        state = await store.MemberStateAsync(room, user);
        if (state is not null)
        {
            _states.Set(user, state);
        }

        return state;
    }

    /// <summary>The member sent at <paramref name="at"/>: slow mode counts from here.</summary>
    public void Sent(string user, DateTimeOffset at)
    {
        if (_states.TryGet(user, out var state))
        {
            _states.Set(user, state with { LastSent = at });
        }
    }

    /// <summary>A change to the member (role, mute) was stored: what is held of them is read again next time.</summary>
    public void Changed(string user) => _states.Forget(user);

    /// <summary>The member was removed (kick, ban) or erased.</summary>
    public void Removed(string user)
    {
        _cache.Set(user, new Admission(false, false));
        _states.Forget(user);
        Count--;
    }

    /// <summary>Forgets everything held of the user, and reloads the room's own record (after an erasure).</summary>
    public async Task ForgetAsync(string user)
    {
        _cache.Forget(user);
        _states.Forget(user);
        await LoadAsync();
    }

    public void Configured(string? topic, int slowModeSeconds)
    {
        if (slowModeSeconds > 0 && SlowModeSeconds == 0)
        {
            // States taken from joins left out when each member last sent: read them again.
            _states.Clear();
        }

        if (_record is not null)
        {
            _record = _record with { Topic = topic, SlowModeSeconds = slowModeSeconds };
        }
    }

    public async Task<JoinOutcome> JoinAsync(string user, bool createPrivate, bool trusted = false)
    {
        var quotas = new JoinQuotas(limits.MaxMembershipsPerUser, limits.MaxRoomsCreated, limits.MaxRoomCreationsPerWindow, limits.RoomCreationWindow);
        var outcome = await ChangeAsync(user, () => store.JoinAsync(new JoinCommand(room, user, time.GetUtcNow(), createPrivate, direct, quotas, trusted)),
            o => o.Status is JoinStatus.Joined or JoinStatus.AlreadyMember ? new Admission(true, false) : null);
        if (outcome.Room is not null)
        {
            _record ??= outcome.Room;
        }

        if (outcome.Status == JoinStatus.Joined)
        {
            Count++;

            // A new membership row: its role is the join's, it is not muted. When the member last sent counts only
            // under slow mode (a member who left and came back keeps it), so without slow mode the state is known
            // and the read after every join is spared; turning slow mode on forgets what was known this way.
            if (SlowModeSeconds == 0)
            {
                _states.Set(user, new MemberState(outcome.Role, MutedUntil: null, LastSent: null));
            }
            else
            {
                _states.Forget(user);
            }
        }

        return outcome;
    }

    public async Task<bool> LeaveAsync(string user)
    {
        var left = await ChangeAsync(user, () => store.LeaveAsync(room, user, direct), _ => new Admission(false, false));
        if (left)
        {
            Count--;
            _states.Forget(user);
        }

        return left;
    }

    public Task<InviteOutcome> InviteAsync(string inviter, string invitee) =>
        ChangeAsync(invitee,
            () => store.InviteAsync(new InviteCommand(room, invitee, inviter, time.GetUtcNow(), limits.MaxInvitedPerRoom, limits.MaxPendingInvitations)),
            outcome => outcome == InviteOutcome.Invited ? new Admission(false, true) : null);

    public Task<bool> DeclineAsync(string user) =>
        ChangeAsync(user, () => store.DeclineAsync(room, user), declined => declined ? new Admission(false, false) : null);

    public Task<IReadOnlyList<(string User, RoomRole Role)>> PageAsync(string? after, int limit) => store.MembersAsync(room, after, limit);

    /// <summary>
    /// Runs a change of one user's membership and updates what is known of the user. Two changes of the same user
    /// in flight at once may finish in either order; then nothing is assumed and the next check asks the store.
    /// </summary>
    private async Task<T> ChangeAsync<T>(string user, Func<Task<T>> change, Func<T, Admission?> known)
    {
        _inFlight[user] = _inFlight.GetValueOrDefault(user) + 1;
        try
        {
            var result = await change();
            if (_inFlight[user] == 1 && known(result) is { } admission)
            {
                _cache.Set(user, admission);
            }
            else
            {
                _cache.Forget(user);
            }

            return result;
        }
        catch
        {
            _cache.Forget(user);
            throw;
        }
        finally
        {
            if (--_inFlight[user] == 0)
            {
                _inFlight.Remove(user);
            }
        }
    }
}
