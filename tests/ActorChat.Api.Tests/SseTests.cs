using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class SseTests(ChatServer server)
{
    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_dropped_stream_resumes_from_Last_Event_ID_with_exactly_the_missed_messages()
    {
        var room = NewRoom("sse");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        for (var i = 1; i <= 3; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"m{i}"));
        }

        var token = await server.TokenAsync(NewUser("ticker"));
        var (response, first) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?since=0", token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string? lastId;
        await using (first)
        {
            var ready = await first!.NextAsync("ready");
            Assert.Equal((room, 3L, true), (ready.Data.Str("room"), ready.Data.GetProperty("lastSeq").GetInt64(), ready.Data.GetProperty("recovered").GetBoolean()));
            var replayed = new List<SseEvent>();
            for (var i = 0; i < 3; i++)
            {
                replayed.Add(await first.NextAsync("message"));
            }

            Assert.Equal(["1", "2", "3"], replayed.Select(e => e.Id));
            Assert.Equal(["m1", "m2", "m3"], replayed.Select(e => e.Data.Str("text")));
            lastId = replayed[^1].Id;
        }

        // While the follower is away, three more arrive.
        for (var i = 4; i <= 6; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"m{i}"));
        }

        var (_, second) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", token, lastEventId: lastId);
        await using (second)
        {
            var ready = await second!.NextAsync("ready");
            Assert.True(ready.Data.GetProperty("recovered").GetBoolean());
            var resumed = new List<SseEvent>();
            for (var i = 0; i < 3; i++)
            {
                resumed.Add(await second.NextAsync("message"));
            }

            // Then a live one: nothing from before Last-Event-ID came again, nothing was skipped.
            await writer.OkAsync("send", ("room", room), ("text", "m7"));
            resumed.Add(await second.NextAsync("message"));
            Assert.Equal(["4", "5", "6", "7"], resumed.Select(e => e.Id));
            Assert.Equal(["m4", "m5", "m6", "m7"], resumed.Select(e => e.Data.Str("text")));
        }
    }

    [Fact]
    public async Task The_stream_carries_presence_and_typing_and_opens_with_a_ticket_in_the_query()
    {
        var room = NewRoom("sse-live");
        var followerId = NewUser("follower");
        await using var talker = await server.ConnectAsync(NewUser("talker"));
        await talker.OkAsync("join", ("room", room));

        // EventSource cannot set headers, so a browser opens the stream with a one-use ticket.
        var token = await server.TokenAsync(followerId);
        var (ticket, _) = await server.TicketAsync(token);
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?ticket={ticket}", token: null);
        await using (stream)
        {
            var ready = await stream!.NextAsync("ready");
            Assert.Equal(2, ready.Data.GetProperty("memberCount").GetInt32());

            await talker.RequestAsync("typing", ("room", room));
            var typing = await stream.NextAsync("typing");
            Assert.Null(typing.Id);
            await talker.OkAsync("send", ("room", room), ("text", "<b>hi</b>\nthere"));
            var message = await stream.NextAsync("message");
            Assert.Equal(("1", "<b>hi</b>\nthere"), (message.Id, message.Data.Str("text")));
        }
    }

    [Fact]
    public async Task A_stream_opened_with_a_ticket_resumes_with_a_new_ticket_and_since_because_the_first_is_spent()
    {
        var room = NewRoom("sse-ticket");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        await writer.OkAsync("send", ("room", room), ("text", "m1"));

        var token = await server.TokenAsync(NewUser("reader"));
        var (ticket, _) = await server.TicketAsync(token);
        string lastId;
        var (_, first) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?since=0&ticket={ticket}", token: null);
        await using (first)
        {
            lastId = (await first!.NextAsync("message")).Id!;
        }

        await writer.OkAsync("send", ("room", room), ("text", "m2"));

        // What EventSource does by itself: the same URL again, with Last-Event-ID. The ticket in it is spent.
        var (refused, _) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?since=0&ticket={ticket}", token: null, lastEventId: lastId);
        using (refused)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // What our clients do instead: a new ticket, and since = the last id seen.
        var (fresh, _) = await server.TicketAsync(token);
        var (_, second) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?since={lastId}&ticket={fresh}", token: null);
        await using (second)
        {
            var resumed = await second!.NextAsync("message");
            Assert.Equal(("2", "m2"), (resumed.Id, resumed.Data.Str("text")));
        }
    }

    [Theory]
    [InlineData("Bad_Room", null, HttpStatusCode.BadRequest, "bad_room")]
    [InlineData("fine-room", "not-a-number", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("fine-room", "-1", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("dm:aaa:zzz", null, HttpStatusCode.Forbidden, "forbidden")]
    public async Task Bad_requests_are_refused_with_problem_details_before_the_stream_starts(string room, string? lastEventId, HttpStatusCode status, string code)
    {
        var token = await server.TokenAsync(NewUser("bad"));
        var (response, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{Uri.EscapeDataString(room)}/events", token, lastEventId);
        using (response)
        {
            Assert.Null(stream);
            Assert.Equal(status, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_private_room_is_refused_to_strangers_and_a_missing_token_gets_401()
    {
        var room = NewRoom("sse-priv");
        await using var owner = await server.ConnectAsync(NewUser("owner"));
        await owner.OkAsync("join", ("room", room), ("private", true));

        var (hidden, _) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", await server.TokenAsync(NewUser("stranger")));
        var (anonymous, _) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events", token: null);
        using (hidden)
        using (anonymous)
        {
            // To a stranger a private room is no room at all.
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    [Fact]
    public async Task A_server_that_stops_ends_the_stream_with_a_close_event_saying_1012()
    {
        var stopping = new ChatServer();
        await stopping.InitializeAsync();
        Task? stopped = null;
        try
        {
            var token = await stopping.TokenAsync(NewUser("follower"));
            using var http = new HttpClient { BaseAddress = stopping.BaseAddress };
            var (_, stream) = await SseStream.OpenAsync(http, $"/api/rooms/{NewRoom("stop")}/events", token);
            await using (stream)
            {
                await stream!.NextAsync("ready");
                stopped = stopping.DisposeAsync();
                var close = await stream.NextAsync("close");
                Assert.Equal((1012, "server restarting"), (close.Data.GetProperty("code").GetInt32(), close.Data.Str("reason")));
                Assert.Null(await stream.NextAsync());
            }
        }
        finally
        {
            await (stopped ?? stopping.DisposeAsync());
        }
    }
}
