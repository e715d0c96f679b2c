namespace ActorChat.FrontEnd.Connections;

/// <summary>What <see cref="ConnectionRegistry.TryAdmit"/> answers for one more connection of a user.</summary>
internal enum Admission
{
    Admitted,
    UserFull,
    NodeFull,
}
