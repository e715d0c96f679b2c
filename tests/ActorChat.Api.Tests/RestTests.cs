using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class RestTests(ChatServer server)
{
    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_message_posted_over_rest_reaches_the_sockets_in_the_room()
    {
        var room = NewRoom("rest");
        var botId = NewUser("bot");
        await using var bot = await server.ConnectAsync(botId);
        await bot.OkAsync("join", ("room", room));
        await using var listener = await server.ConnectAsync(NewUser("listener"));
        await listener.OkAsync("join", ("room", room));

        using var request = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", await server.TokenAsync(botId));
        request.Content = JsonContent.Create(new { text = "from the backend", clientMsgId = "job-7" });
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("seq").GetInt64());
        var message = await listener.NextEventAsync(e => e.Type() == "message");
        Assert.Equal((1L, botId, "from the backend"), (message.Seq(), message.Str("from"), message.Str("text")));
    }

    [Fact]
    public async Task Polling_reads_messages_after_a_sequence()
    {
        var room = NewRoom("poll");
        var userId = NewUser("poller");
        await using var user = await server.ConnectAsync(userId);
        await user.OkAsync("join", ("room", room));
        for (var i = 1; i <= 5; i++)
        {
            await user.OkAsync("send", ("room", room), ("text", $"p{i}"));
        }

        var token = await server.TokenAsync(userId);
        using var request = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{room}/messages?after=3", token);
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([4L, 5], body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.False(body.GetProperty("hasMore").GetBoolean());
        Assert.Equal(5, body.GetProperty("next").GetInt64());
    }

    [Fact]
    public async Task Polling_past_a_window_of_reactions_continues_from_next_and_misses_nothing()
    {
        var room = NewRoom("reacted");
        var userId = NewUser("reactor");
        await using var user = await server.ConnectAsync(userId);
        await user.OkAsync("join", ("room", room));
        var first = (await user.OkAsync("send", ("room", room), ("text", "first"))).Seq();
        await user.OkAsync("react", ("room", room), ("seq", first), ("emoji", "👍"));
        await user.OkAsync("react", ("room", room), ("seq", first), ("emoji", "🎉"));
        await user.OkAsync("send", ("room", room), ("text", "second"));
        var token = await server.TokenAsync(userId);

        // Two reactions fill the window after the first message: no message, more to come, and where to go on from.
        var window = await GetAsync($"/api/rooms/{room}/messages?after={first}&limit=2", token);
        Assert.Equal((0, true), (window.GetProperty("messages").GetArrayLength(), window.GetProperty("hasMore").GetBoolean()));
        var next = window.GetProperty("next").GetInt64();
        Assert.Equal(first + 2, next);

        var rest = await GetAsync($"/api/rooms/{room}/messages?after={next}&limit=2", token);
        Assert.Equal("second", Assert.Single(rest.GetProperty("messages").EnumerateArray()).GetProperty("text").GetString());
    }

    private async Task<JsonElement> GetAsync(string path, string token)
    {
        using var request = ChatServer.Authorized(HttpMethod.Get, path, token);
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Rooms_are_listed_with_member_counts_and_last_sequence()
    {
        var room = NewRoom("listed");
        var userId = NewUser("lister");
        await using var user = await server.ConnectAsync(userId);
        await user.OkAsync("join", ("room", room));
        await user.OkAsync("send", ("room", room), ("text", "one"));
        var token = await server.TokenAsync(userId);

        using var one = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{room}", token);
        using var oneResponse = await server.Http.SendAsync(one);
        var info = await oneResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((room, 1, 1L), (info.GetProperty("id").GetString(), info.GetProperty("members").GetInt32(), info.GetProperty("lastSeq").GetInt64()));

        // The directory is updated one-way after a join, so ask until it lists the room (bounded).
        JsonElement listed = default;
        for (var attempt = 0; attempt < 50 && listed.ValueKind == JsonValueKind.Undefined; attempt++)
        {
            using var all = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms?after={room[..^1]}&limit=500", token);
            using var allResponse = await server.Http.SendAsync(all);
            var body = await allResponse.Content.ReadFromJsonAsync<JsonElement>();
            listed = body.GetProperty("rooms").EnumerateArray().FirstOrDefault(r => r.GetProperty("id").GetString() == room);
        }

        Assert.Equal(1, listed.GetProperty("members").GetInt32());
    }

    [Fact]
    public async Task Rest_errors_are_problem_details_with_the_protocol_code()
    {
        var token = await server.TokenAsync(NewUser("rest"));
        using var missing = ChatServer.Authorized(HttpMethod.Get, "/api/rooms/no-such-room-here", token);
        using var missingResponse = await server.Http.SendAsync(missing);
        Assert.Equal(HttpStatusCode.NotFound, missingResponse.StatusCode);
        Assert.Equal("application/problem+json", missingResponse.Content.Headers.ContentType?.MediaType);
        var problem = await missingResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not_found", problem.GetProperty("code").GetString());

        using var badRoom = ChatServer.Authorized(HttpMethod.Post, "/api/rooms/BAD!/messages", token);
        badRoom.Content = JsonContent.Create(new { text = "x" });
        using var badResponse = await server.Http.SendAsync(badRoom);
        Assert.Equal(HttpStatusCode.BadRequest, badResponse.StatusCode);
        Assert.Equal("bad_room", (await badResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        using var notMember = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{NewRoom("x")}/messages", token);
        notMember.Content = JsonContent.Create(new { text = "x" });
        using var notMemberResponse = await server.Http.SendAsync(notMember);
        Assert.Equal(HttpStatusCode.NotFound, notMemberResponse.StatusCode);

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api/rooms");
        using var anonymousResponse = await server.Http.SendAsync(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        using var live = await server.Http.GetAsync("/health/live");
        using var ready = await server.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("no spaces allowed")]
    [InlineData("alice\n")]
    [InlineData("alice\u0000")]
    public async Task The_dev_login_refuses_an_invalid_user_id(string user)
    {
        using var response = await server.Http.PostAsJsonAsync("/api/auth/token", new { user });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_larger_than_any_valid_request_is_refused_with_413_before_it_is_read()
    {
        var room = NewRoom("big-body");
        var user = NewUser("big");
        var token = await server.TokenAsync(user);
        await using var socket = await server.ConnectAsync(user);
        await socket.OkAsync("join", ("room", room));

        // 27 MB announced by Content-Length: refused on the headers.
        using var announced = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", token);
        announced.Content = new ByteArrayContent(new byte[27 * 1024 * 1024]);
        announced.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var refused = await server.Http.SendAsync(announced);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("too_long", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // Sent chunked, without a length: cut off once it passes the limit.
        using var chunked = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", token);
        var json = $"{{\"text\":\"{new string('x', 200_000)}\"}}";
        chunked.Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var cut = await server.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cut.StatusCode);

        // Nothing was stored, and a valid post still works.
        Assert.Equal(0, (await socket.OkAsync("join", ("room", room))).GetProperty("lastSeq").GetInt64());
        using var valid = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", token);
        valid.Content = JsonContent.Create(new { text = new string('y', 4000) });
        using var accepted = await server.Http.SendAsync(valid);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Text_that_is_not_valid_unicode_is_bad_request_over_rest_too()
    {
        var room = NewRoom("surrogate");
        var user = NewUser("rest");
        await using var socket = await server.ConnectAsync(user);
        await socket.OkAsync("join", ("room", room));

        using var post = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/messages", await server.TokenAsync(user));
        post.Content = new StringContent("""{"text":"half \ud800 a pair"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await socket.OkAsync("join", ("room", room))).GetProperty("lastSeq").GetInt64());
    }
}
