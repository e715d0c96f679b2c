using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Testing;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// With no silo to answer, a front end says so the way a proxy or client can act on: 503 with Retry-After and a
/// problem whose code is <c>unavailable</c>, on REST routes and on the socket upgrade alike, not a 500 server fault.
/// </summary>
public sealed class ClusterOutageTests
{
    [Fact]
    public async Task Without_a_silo_rest_routes_and_the_socket_upgrade_answer_503_with_retry_after()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, frontEnds: 1);
        var frontEnd = cluster.FrontEnds[0];
        var token = await cluster.TokenAsync(frontEnd, "stranded");
        await using (var before = await ChatClient.ConnectAsync(frontEnd.Socket, token))
        {
            await before.OkAsync("ping");
        }

        await cluster.Silos[0].Process.KillHardAsync();

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(frontEnd.Http, "/api/rooms"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", problem.GetProperty("code").GetString());

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(frontEnd.Socket, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
    }
}
