using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.Testing;
using Xunit.Abstractions;

namespace ActorChat.Cluster.Tests;

public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_to_a_silo_hands_its_grains_over_and_sigterm_to_a_front_end_closes_sockets_with_1012()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, frontEnds: 2);
        const string room = "handover";

        // Every process of the cluster exposes its metrics for Prometheus.
        using (var http = new HttpClient())
        {
            foreach (var node in cluster.Silos.Concat(cluster.FrontEnds))
            {
                var metrics = await http.GetStringAsync(new Uri(node.Http, "/metrics"));
                Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
            }

            // A silo reports its store's writes and its webhook outbox.
            var silo = await http.GetStringAsync(new Uri(cluster.Silos[0].Http, "/metrics"));
            Assert.Contains("actorchat_store_commits_total", silo, StringComparison.Ordinal);
            Assert.Contains("actorchat_webhooks_oldest_pending_age_seconds", silo, StringComparison.Ordinal);
        }

        // Someone browsing on the other front end hears of the room that alice creates.
        var other = cluster.FrontEnds[0];
        await using var browser = await ChatClient.ConnectAsync(other.Socket, await cluster.TokenAsync(other, "browser"));
        await browser.OkAsync("browse");

        var frontEnd = cluster.FrontEnds[1];
        await using var alice = await ChatClient.ConnectAsync(frontEnd.Socket, await cluster.TokenAsync(frontEnd, "alice"));
        await alice.OkAsync("join", ("room", room));
        await browser.NextEventAsync(e => e.Type() == "directory"
            && e.GetProperty("rooms").EnumerateArray().Any(r => r.Str("room") == room && r.GetProperty("members").GetInt32() == 1));
        for (var i = 1; i <= 20; i++)
        {
            await alice.OkAsync("send", ("room", room), ("text", $"before {i}"), ("clientMsgId", $"b{i}"));
        }

        var grain = cluster.Client.GetGrain<IRoomGrain>(room);
        var address = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        var host = cluster.Silos.Single(s => s.SiloPort == address!.Endpoint.Port);
        output.WriteLine($"SIGTERM to {host.Name}, host of {room}");
        await host.Process.TerminateAsync(TimeSpan.FromSeconds(60));

        for (var i = 1; i <= 20; i++)
        {
            await alice.OkAsync("send", ("room", room), ("text", $"after {i}"), ("clientMsgId", $"a{i}"));
        }

        var received = await alice.MessagesAsync(room, 40);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), received.Select(m => m.Seq()));
        var info = await grain.Info();
        Assert.Equal((40L, 1), (info.LastSeq, info.MemberCount));

        // Changes to messages travel the same way: made on one front end, heard on the other, in log order.
        await using (var bob = await ChatClient.ConnectAsync(other.Socket, await cluster.TokenAsync(other, "bob")))
        {
            await bob.OkAsync("join", ("room", room));
            await alice.OkAsync("edit", ("room", room), ("seq", 1), ("text", "before 1, edited"));
            await alice.OkAsync("react", ("room", room), ("seq", 2), ("emoji", "👍"));
            await alice.OkAsync("delete", ("room", room), ("seq", 3));
            var heard = new List<JsonElement>();
            while (heard.Count < 3)
            {
                heard.Add(await bob.NextEventAsync(e => e.TryGetProperty("logSeq", out _)));
            }

            Assert.Equal([("edited", 41L), ("reaction", 42L), ("deleted", 43L)], heard.Select(e => (e.Type()!, e.GetProperty("logSeq").GetInt64())));
        }

        output.WriteLine($"SIGTERM to {frontEnd.Name}");
        var closing = frontEnd.Process.TerminateAsync(TimeSpan.FromSeconds(60));
        var status = await alice.Closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await closing;
        Assert.Equal((WebSocketCloseStatus)1012, status);

        // Alice resumes on the other front end from the last position she saw: the changes once each, nothing else.
        await using var back = await ChatClient.ConnectAsync(other.Socket, await cluster.TokenAsync(other, "alice"));
        var rejoined = await back.OkAsync("join", ("room", room), ("since", 40));
        Assert.True(rejoined.GetProperty("recovered").GetBoolean());
        var replayed = new List<JsonElement>();
        while (replayed.Count < 3)
        {
            replayed.Add(await back.NextEventAsync(e => e.TryGetProperty("logSeq", out _) || e.Type() == "message"));
        }

        Assert.Equal([41L, 42L, 43L], replayed.Select(e => e.GetProperty("logSeq").GetInt64()));
        await back.OkAsync("ping");
        Assert.DoesNotContain(back.Drain(), e => e.Type() == "message" || e.TryGetProperty("logSeq", out _));
    }
}
