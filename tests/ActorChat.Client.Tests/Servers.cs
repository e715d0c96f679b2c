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

/// <summary>A server with a server API key, so a test can end a user's sessions as a backend does (close 4003).</summary>
public sealed class KeyedServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:ServerApi:Keys:0:Name"] = "backend",
    ["ActorChat:ServerApi:Keys:0:Hash"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret))),
    ["ActorChat:ServerApi:Keys:0:Scopes:0"] = "users",
})
{
    public const string Secret = "ack_client-library-tests-secret-0123456789";

    /// <summary>Ends every session of <paramref name="user"/> (<c>POST /api/server/users/{user}/disconnect</c>).</summary>
    public async Task DisconnectAsync(string user, bool revokeTokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/server/users/{user}/disconnect")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { revokeTokens }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", Secret);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
