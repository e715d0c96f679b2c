using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.FrontEnd.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

public sealed class LimitTests(LimitsServer server) : IClassFixture<LimitsServer>
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Requests_beyond_the_burst_are_rate_limited_with_a_retry_hint_and_nothing_is_done()
    {
        var room = $"flood-{Guid.NewGuid():N}"[..20];
        await using var client = await server.ConnectAsync(NewUser("flood"));
        await client.OkAsync("join", ("room", room));

        // The burst is 5 (opening the socket took one, the join another) and the budget refills at one per ten seconds.
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.RequestAsync("send", ("room", room), ("text", $"f{i}"))));

        var accepted = replies.Count(r => r.Type() == "ok");
        var limited = replies.Where(r => r.Type() == "error").ToList();
        Assert.Equal(3, accepted);
        Assert.Equal(7, limited.Count);
        Assert.All(limited, r => Assert.Equal("rate_limited", r.Str("code")));
        Assert.All(limited, r => Assert.True(r.GetProperty("retryAfterMs").GetInt64() > 0));

        // Only accepted sends were stored.
        await using var other = await server.ConnectAsync(NewUser("count"));
        var joined = await other.OkAsync("join", ("room", room));
        Assert.Equal(accepted, joined.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task A_client_that_keeps_flooding_after_being_limited_is_closed_with_1008()
    {
        await using var client = await server.ConnectAsync(NewUser("flooder"));
        for (var i = 0; i < 40; i++)
        {
            await client.SendTextAsync("""{"type":"ping"}""");
        }

        var status = await client.Closed.Task.WaitAsync(ChatClient.Deadline);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task A_user_over_the_per_user_socket_limit_is_taken_only_to_be_closed_with_4029()
    {
        var user = NewUser("many");
        await using var first = await server.ConnectAsync(user);
        await using var second = await server.ConnectAsync(user);

        var (status, reason) = await RefusedAsync(await server.TokenAsync(user), asBrowser: false);
        Assert.Equal((WebSocketCloseStatus)4029, status);
        Assert.Equal("too_many_connections: at most 2 per user on this node", reason);

        // A place frees up when a socket closes (three of the five requests the burst allows are spent: the user's
        // next socket and a ping use the rest).
        await second.DisposeAsync();
        await WaitForPlacesAsync(user, 1);
        await using (await server.ConnectAsync(user))
        {
            await first.OkAsync("ping");
        }
    }

    [Fact]
    public async Task Opening_a_socket_draws_on_the_users_request_budget_and_past_it_the_upgrade_is_429_rate_limited()
    {
        var user = NewUser("opener");
        var token = await server.TokenAsync(user);
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, token);

        // Opening the socket took one of the five; the pings spend the rest.
        for (var i = 0; i < 4; i++)
        {
            await client.OkAsync("ping");
        }

        using var late = new ClientWebSocket();
        late.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        late.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => late.ConnectAsync(server.SocketAddress, CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, late.HttpStatusCode);
        Assert.True(int.Parse(Assert.Single(late.HttpResponseHeaders!["Retry-After"]), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        // Nothing was held for it: the user's one socket is still the only place it has.
        Assert.Equal(1, server.Services.GetRequiredService<ConnectionRegistry>().PlacesOf(user));
    }

    [Fact]
    public async Task An_event_stream_counts_against_the_per_user_limit_like_a_socket()
    {
        var user = NewUser("mixed");
        var room = $"limit-{Guid.NewGuid():N}"[..20];
        var token = await server.TokenAsync(user);
        await using var socket = await server.ConnectAsync(user);
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", token);
        await using (stream)
        {
            await stream!.NextAsync("ready");
            var (refused, none) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", token);
            using (refused)
            {
                Assert.Null(none);
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            }
        }

        // The stream's place is given back when it ends; the socket keeps its own.
        await WaitForPlacesAsync(user, 1);
        Assert.False(socket.Closed.Task.IsCompleted);
    }

    [Fact]
    public async Task A_node_over_its_socket_limit_takes_a_browsers_socket_only_to_close_it_with_1013()
    {
        var open = new List<ChatClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                open.Add(await server.ConnectAsync(NewUser("node")));
            }

            // A browser is not shown a refused handshake's status; a close code it reads.
            var (status, reason) = await RefusedAsync(await server.TokenAsync(NewUser("late")), asBrowser: true);
            Assert.Equal((WebSocketCloseStatus)1013, status);
            Assert.StartsWith("node_full", reason, StringComparison.Ordinal);

            // Nothing was held for it: when one leaves, the next is let in.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            open.Add(await ConnectOnceFreeAsync(NewUser("next")));
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Opens a socket the node's limits refuse: the upgrade succeeds (with the subprotocol a browser would offer when
    /// <paramref name="asBrowser"/>), a request sent at once is not answered, and the first thing read is the server's close.
    /// </summary>
    private async Task<(WebSocketCloseStatus? Status, string? Reason)> RefusedAsync(string token, bool asBrowser)
    {
        using var socket = new ClientWebSocket();
        if (asBrowser)
        {
            foreach (var subprotocol in ChatClient.SubprotocolsFor(token))
            {
                socket.Options.AddSubProtocol(subprotocol);
            }
        }
        else
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        await socket.ConnectAsync(server.SocketAddress, deadline.Token);
        Assert.Equal(asBrowser ? "actorchat" : null, socket.SubProtocol);

        // A client sends its first request without waiting; the server reads it away rather than reset the
        // connection under the close it sent.
        await socket.SendAsync("""{"id":"1","type":"ping"}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        var result = await socket.ReceiveAsync(new byte[256], deadline.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        return (socket.CloseStatus, socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_connection_may_follow_only_so_many_rooms()
    {
        await using var client = await server.ConnectAsync(NewUser("rooms"));
        for (var i = 0; i < 3; i++)
        {
            await client.OkAsync("join", ("room", $"cap-{i}-{Guid.NewGuid():N}"[..16]));
        }

        var fourth = await client.RequestAsync("join", ("room", $"cap-x-{Guid.NewGuid():N}"[..16]));
        Assert.Equal("forbidden", fourth.Str("code"));
    }

    [Fact]
    public async Task A_rooms_answer_costs_one_request_more_for_each_further_room_it_lists()
    {
        // Three memberships made without this user's budget; one request covers one room here (RoomsPerRequest).
        var user = NewUser("many");
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        foreach (var i in Enumerable.Range(0, 3))
        {
            await grains.GetGrain<ActorChat.Contracts.IRoomGrain>($"many-{i}-{user}").Join(user);
        }

        // Of the burst of 5 the socket took one and the answer three (one, and two for the rooms past the first).
        await using var client = await server.ConnectAsync(user);
        Assert.Equal(3, (await client.OkAsync("rooms")).GetProperty("rooms").GetArrayLength());
        await client.OkAsync("ping");
        var limited = await client.RequestAsync("ping");
        Assert.Equal(("error", "rate_limited"), (limited.Type(), limited.Str("code")));
    }

    [Fact]
    public async Task The_request_budget_is_the_users_shared_by_every_socket_and_rest_call()
    {
        var user = NewUser("shared");
        await using var laptop = await server.ConnectAsync(user);
        await using var phone = await server.ConnectAsync(user);

        // A burst of five for the user, not for each socket: opening the two took two, two pings here and one there
        // spend the rest.
        await laptop.OkAsync("ping");
        await laptop.OkAsync("ping");
        await phone.OkAsync("ping");
        Assert.Equal("rate_limited", (await phone.RequestAsync("ping")).Str("code"));
        Assert.Equal("rate_limited", (await laptop.RequestAsync("ping")).Str("code"));

        // REST draws on the same budget: 429 with the protocol's code and when to come back.
        using var list = ChatServer.Authorized(HttpMethod.Get, "/api/rooms", await server.TokenAsync(user));
        using var refused = await server.Http.SendAsync(list);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("retryAfterMs").GetInt64() > 0);

        // Another user's budget is untouched.
        await using var other = await server.ConnectAsync(NewUser("other"));
        await other.OkAsync("ping");
    }

    [Fact]
    public async Task Malformed_frames_are_charged_to_the_budget_before_they_are_parsed()
    {
        // Opening the socket took one of the five.
        await using var client = await server.ConnectAsync(NewUser("garbage"));
        for (var i = 0; i < 4; i++)
        {
            await client.SendTextAsync("{ this is not json");
            Assert.Equal("bad_request", (await client.NextEventAsync(e => e.Type() == "error")).Str("code"));
        }

        // The budget is spent; a valid request is refused unread, yet its id is still echoed.
        var refused = await client.RequestAsync("ping");
        Assert.Equal("rate_limited", refused.Str("code"));
    }

    [Fact]
    public async Task Concurrent_rest_posts_beyond_the_budget_are_refused_and_only_accepted_ones_are_stored()
    {
        var room = $"rest-flood-{Guid.NewGuid():N}"[..24];
        var user = NewUser("poster");
        var token = await server.TokenAsync(user);
        await using (var socket = await server.ConnectAsync(user))
        {
            await socket.OkAsync("join", ("room", room));
        }

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var post = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", token);
            post.Content = JsonContent.Create(new { text = $"post {i}" });
            using var response = await server.Http.SendAsync(post);
            return response.StatusCode;
        }));

        var created = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.Equal(30 - created, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.InRange(created, 1, 5);
        await using var reader = await server.ConnectAsync(NewUser("reader"));
        Assert.Equal(created, (await reader.OkAsync("join", ("room", room))).GetProperty("lastSeq").GetInt64());
    }

    /// <summary>Until the node holds <paramref name="places"/> for the user: its closed sockets have been given back.</summary>
    private async Task WaitForPlacesAsync(string user, int places)
    {
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        while (registry.PlacesOf(user) != places)
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private async Task<ChatClient> ConnectOnceFreeAsync(string user)
    {
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        while (true)
        {
            try
            {
                return await server.ConnectAsync(user);
            }
            catch (WebSocketException) when (!deadline.IsCancellationRequested)
            {
                // The server releases the place when it has finished closing the socket.
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}
