using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>
/// A browser's other way to sign a socket in: the bearer token offered as the subprotocol
/// <c>actorchat.bearer.&lt;token&gt;</c> next to <c>actorchat</c>, checked as the <c>Authorization</c> header is, on a
/// real Kestrel socket and the server's (fake) clock.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class SubprotocolTokenTests
{
    private readonly FakeClockServer _server;

    public SubprotocolTokenTests(FakeClockServer server)
    {
        // Token lifetimes are checked on the wall clock, expiry timers and revocations run on the server's: a shared
        // fake clock left behind the wall clock by earlier tests would make the short-lived tokens here expired.
        if (server.Clock.GetUtcNow() < DateTimeOffset.UtcNow)
        {
            server.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }

        _server = server;
    }

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task The_token_in_the_subprotocol_opens_the_users_socket_and_the_answer_selects_actorchat_not_the_token()
    {
        var user = NewUser("subproto");
        var token = _server.Token(user, TimeSpan.FromMinutes(10));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var offered in ChatClient.SubprotocolsFor(token))
        {
            socket.Options.AddSubProtocol(offered);
        }

        using var timeout = new CancellationTokenSource(ChatClient.Deadline);
        await socket.ConnectAsync(_server.SocketAddress, timeout.Token);
        Assert.Equal("actorchat", socket.SubProtocol);
        Assert.Equal(["actorchat"], socket.HttpResponseHeaders!["Sec-WebSocket-Protocol"]);

        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        var welcome = JsonDocument.Parse(buffer.AsMemory(0, received.Count)).RootElement;
        Assert.Equal("welcome", welcome.Str("type"));
        Assert.Equal(user, welcome.Str("user"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        await using var client = await ChatClient.ConnectWithSubprotocolAsync(_server.SocketAddress, token);
        Assert.Equal(user, client.User);
        await client.OkAsync("join", ("room", $"sp-{Guid.NewGuid():N}"[..20]));
    }

    [Fact]
    public async Task A_malformed_forged_expired_or_revoked_token_in_the_subprotocol_gets_401_before_the_upgrade()
    {
        var good = _server.Token(NewUser("forged"), TimeSpan.FromMinutes(10));
        var parts = good.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        // Token lifetimes are checked on the wall clock, as the header's are; the tests' fake clock may be far ahead of it.
        var expired = TestTokens.Mint(NewUser("expired"), TimeSpan.FromMinutes(-5));
        foreach (var token in new[] { "not-a-token", forged, expired })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(_server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(token)));
        }

        var revokedUser = NewUser("revoked");
        // Issued on the server's (fake) clock, which the revocation is dated by; the wall clock may be ahead of it.
        var revoked = TestTokens.Mint(revokedUser, TimeSpan.FromMinutes(10), _server.Now, issuedAt: _server.Now.UtcDateTime);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(_server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(revoked)));
        await _server.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(revokedUser).EndSessions(revokeTokens: true);
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(_server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(revoked)));
    }

    [Fact]
    public async Task The_token_without_the_actorchat_subprotocol_gets_400_because_a_browser_would_fail_the_answer()
    {
        var token = _server.Token(NewUser("unnamed"), TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.BadRequest, await Upgrade.StatusAsync(_server.SocketAddress, subprotocols: [$"actorchat.bearer.{token}"]));

        // Offering the name alone with a header token is fine: the answer names the protocol.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(_server.SocketAddress, bearer: token, subprotocols: ["actorchat"]));
    }

    [Fact]
    public async Task Only_the_sockets_upgrade_takes_the_token_that_way_not_the_rest_api_or_the_event_stream()
    {
        var token = _server.Token(NewUser("elsewhere"), TimeSpan.FromMinutes(10));
        var events = $"/api/rooms/sp-{Guid.NewGuid():N}"[..30] + "/events";
        foreach (var path in new[] { "/api/rooms", events })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Sec-WebSocket-Protocol", string.Join(", ", ChatClient.SubprotocolsFor(token)));
            using var response = await _server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // A real upgrade of the event stream's address too: the stream takes tickets, not this.
        var upgrade = new UriBuilder(_server.SocketAddress) { Path = events }.Uri;
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(upgrade, subprotocols: ChatClient.SubprotocolsFor(token)));
    }

    [Fact]
    public async Task A_socket_opened_with_the_token_in_its_subprotocol_closes_with_4001_when_the_token_expires()
    {
        await using var client = await ChatClient.ConnectWithSubprotocolAsync(_server.SocketAddress, _server.Token(NewUser("spexpiry"), TimeSpan.FromSeconds(3)));
        await client.OkAsync("ping");
        _server.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal((WebSocketCloseStatus)4001, await client.Closed.Task.WaitAsync(ChatClient.Deadline));
    }
}
