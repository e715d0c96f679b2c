namespace ActorChat.Api.Tests;

/// <summary>
/// A front end on a fake clock that keeps its log lines down to Debug, shared by the tests of time (expiry,
/// keep-alive), which advance the clock one after another. Their tokens come from <see cref="ChatServer.Token"/>.
/// </summary>
public sealed class FakeClockServer() : ChatServer(new Dictionary<string, string>(), fakeClock: true, captureLogs: true);

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockServer>
{
    public const string Name = "fake clock";
}
