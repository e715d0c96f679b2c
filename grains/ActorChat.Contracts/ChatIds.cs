using System.Text.RegularExpressions;

namespace ActorChat.Contracts;

/// <summary>Validation and canonical forms of room and user ids.</summary>
public static partial class ChatIds
{
    public const string DirectPrefix = "dm:";

    // \z, not $: in .NET `$` also matches before a final "\n", which let "secret\n" pass as a room of its own.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PublicRoomPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();

    /// <summary>A room id a client may name directly (not a direct-message room).</summary>
    public static bool IsValidPublicRoom(string? room) => room is not null && PublicRoomPattern().IsMatch(room);

    public static bool IsValidUser(string? user) => user is not null && UserPattern().IsMatch(user);

    public static bool IsDirect(string room) => room.StartsWith(DirectPrefix, StringComparison.Ordinal);

    /// <summary>Any room id the grains accept: a public room id or a canonical direct-message id.</summary>
    public static bool IsValidRoom(string? room) =>
        room is not null && (IsValidPublicRoom(room) || TryParseDirect(room, out _, out _));

    /// <summary>The canonical direct-message room of two users: <c>dm:a:b</c> with the ids sorted ordinally.</summary>
    public static string Direct(string a, string b)
    {
        if (!IsValidUser(a) || !IsValidUser(b))
        {
            throw new ArgumentException("Both user ids must be valid.");
        }

        return string.CompareOrdinal(a, b) <= 0 ? $"{DirectPrefix}{a}:{b}" : $"{DirectPrefix}{b}:{a}";
    }

    public static bool TryParseDirect(string room, out string first, out string second)
    {
        first = second = string.Empty;
        if (!IsDirect(room))
        {
            return false;
        }

        var parts = room[DirectPrefix.Length..].Split(':');
        if (parts.Length != 2 || !IsValidUser(parts[0]) || !IsValidUser(parts[1]) || string.CompareOrdinal(parts[0], parts[1]) > 0)
        {
            return false;
        }

        (first, second) = (parts[0], parts[1]);
        return true;
    }
}
