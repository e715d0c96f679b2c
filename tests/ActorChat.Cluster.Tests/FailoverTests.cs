using ActorChat.Contracts;
using Xunit.Abstractions;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// Three silos, two front ends, PostgreSQL and Redis as separate processes. While members chat through both front
/// ends, the silo hosting the room is killed (SIGKILL), then PostgreSQL is stopped and started again, then one
/// front end is killed. Every member must end with the room's sequence exactly 1..N, and every acknowledged
/// message must be in history.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Members = 6;
    private const int MessagesEach = 120;

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_doubled_when_a_silo_the_database_and_a_front_end_go_down()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, frontEnds: 2);
        const string room = "busy";
        var members = Enumerable.Range(0, Members).Select(i => new Member(cluster, $"member{i}", room, preferredFrontEnd: i % 2)).ToList();
        try
        {
            foreach (var member in members)
            {
                await member.ConnectAsync();
            }

            var senders = members.Select(m => Task.Run(async () =>
            {
                for (var i = 0; i < MessagesEach; i++)
                {
                    await m.SendAsync($"{m.User}-{i}", $"{m.User} message {i}");
                    await Task.Delay(15);
                }
            })).ToList();

            await WaitUntil(() => members.All(m => m.Acknowledged.Count >= MessagesEach / 4), "a quarter of the messages");
            var host = await HostOf(cluster, room);
            output.WriteLine($"killing {host.Name} (pid {host.Process.Pid}), host of room {room}");
            await host.Process.KillHardAsync();

            await WaitUntil(() => members.All(m => m.Acknowledged.Count >= MessagesEach / 3), "a third of the messages");

            // The database goes away: sends are refused (internal) rather than acknowledged, until it is back.
            output.WriteLine($"stopping PostgreSQL (pid file in {cluster.Postgres.Directory})");
            var refusedBefore = members.Sum(m => m.Refused);
            await cluster.Postgres.StopAsync();
            await WaitUntil(() => members.Sum(m => m.Refused) > refusedBefore + Members, "sends refused while the database is down");
            await cluster.Postgres.RestartAsync();
            output.WriteLine($"PostgreSQL back; {members.Sum(m => m.Refused) - refusedBefore} sends were refused meanwhile");

            await WaitUntil(() => members.All(m => m.Acknowledged.Count >= MessagesEach / 2), "half of the messages");
            var frontEnd = cluster.FrontEnds[0];
            output.WriteLine($"killing front end {frontEnd.Name} (pid {frontEnd.Process.Pid})");
            await frontEnd.Process.KillHardAsync();

            await Task.WhenAll(senders);
            var lastSeq = (await cluster.Client.GetGrain<IRoomGrain>(room).Info()).LastSeq;
            await Task.WhenAll(members.Select(m => m.WaitForAsync(lastSeq, TimeSpan.FromSeconds(60))));

            var history = await ReadAll(cluster, room);
            var acknowledged = members.SelectMany(m => m.Acknowledged).ToList();
            var delivered = members.Sum(m => m.Received.Count);
            var duplicated = members.Sum(m => m.Received.Count - m.Received.Distinct().Count());
            var lost = acknowledged.Count(a => history.All(h => h.Seq != a.Value || h.ClientMsgId != a.Key));
            output.WriteLine($"sent {Members * MessagesEach}, acknowledged {acknowledged.Count}, stored {history.Count}, " +
                $"delivered {delivered} (to {Members} members), lost {lost}, duplicated {duplicated}, reconnects {members.Sum(m => m.Reconnects)}, " +
                $"refused and retried {members.Sum(m => m.Refused)}; {cluster.LogHint}");

            Assert.Equal(Members * MessagesEach, acknowledged.Count);
            Assert.Equal(0, lost);
            Assert.Equal(acknowledged.Count, history.Count);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.Seq));
            foreach (var member in members)
            {
                Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), member.Received);
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    private static async Task<Node> HostOf(LocalCluster cluster, string room)
    {
        var grain = cluster.Client.GetGrain<IRoomGrain>(room);
        var address = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException($"Room {room} has no activation.");
        return cluster.Silos.Single(s => s.SiloPort == address.Endpoint.Port);
    }

    private static async Task<List<ChatMessage>> ReadAll(LocalCluster cluster, string room)
    {
        var grain = cluster.Client.GetGrain<IRoomGrain>(room);
        var all = new List<ChatMessage>();
        while (true)
        {
            var page = await grain.ReadRange(all.Count == 0 ? 0 : all[^1].Seq, 200);
            all.AddRange(page.Messages);
            if (!page.HasMore)
            {
                return all;
            }
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!condition())
        {
            await Task.Delay(50, deadline.Token).ConfigureAwait(false);
        }
    }
}
