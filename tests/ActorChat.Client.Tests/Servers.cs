namespace ActorChat.Client.Tests;

/// <summary>One <see cref="ChatServer"/> for the tests that share it (xunit wants the definition in the tests' own assembly).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ChatServer>
{
    public const string Name = "server";
}

/// <summary>A server on a fake clock, for tokens that expire without a test waiting for them; its tokens come from <see cref="ChatServer.Token"/>.</summary>
public sealed class FakeClockServer() : ChatServer(new Dictionary<string, string>(), fakeClock: true, captureLogs: false);

/// <summary>A server whose request budget runs out after three requests, so refusals with <c>retryAfterMs</c> are certain.</summary>
public sealed class TightBudgetServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:RequestsPerSecond"] = "0.1",
    ["ActorChat:Sockets:RequestBurst"] = "3",
});
