namespace ActorChat.Clients.Tests;

/// <summary>Fresh room and user ids, so tests sharing one server never meet each other's rooms or users.</summary>
internal static class UniqueIds
{
    public static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..12];
}
