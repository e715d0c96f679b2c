namespace ActorChat.Api.Tests;

/// <summary>One <see cref="ChatServer"/> for the tests that share it (xunit wants the definition in the tests' own assembly).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ChatServer>
{
    public const string Name = "server";
}
