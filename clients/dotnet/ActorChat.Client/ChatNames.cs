namespace ActorChat.Client;

/// <summary>The roles of a room's members.</summary>
public static class RoomRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";
}

/// <summary>What <see cref="MemberModerated.Action"/> says.</summary>
public static class ModerationActions
{
    public const string Role = "role";
    public const string Kick = "kick";
    public const string Ban = "ban";
    public const string Unban = "unban";
    public const string Mute = "mute";
    public const string Unmute = "unmute";
}

/// <summary>What <see cref="PresenceChanged.Status"/> says.</summary>
public static class PresenceStatuses
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Online = "online";
    public const string Offline = "offline";
}
