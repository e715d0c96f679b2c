namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class MetricsTests(ChatServer server)
{
    [Fact]
    public async Task Metrics_are_exposed_for_prometheus_and_count_what_happened()
    {
        var room = $"metrics-{Guid.NewGuid():N}"[..20];
        await using var alice = await server.ConnectAsync($"m-alice{room[^6..]}");
        await using var bob = await server.ConnectAsync($"m-bob{room[^6..]}");
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));
        await alice.OkAsync("send", ("room", room), ("text", "counted"));
        await bob.OkAsync("browse");
        await bob.MessagesAsync(room, 1);
        await alice.MessagesAsync(room, 1);
        var refused = await alice.RequestAsync("send", ("room", "Not A Room"), ("text", "x"));
        Assert.Equal("bad_room", refused.Str("code"));

        // The test process hosts several servers at once and a meter listener hears every meter of the same name,
        // so the exposition is checked for its families and labels; exact per-node counts are checked in /api/stats.
        var after = await ScrapeAsync();
        Assert.True(Value(after, "actorchat_messages_received") >= 1, after);
        Assert.True(Value(after, "actorchat_messages_delivered") >= 2, after);
        Assert.True(Value(after, "actorchat_sockets_open") >= 2, after);
        Assert.True(Value(after, "actorchat_relay_rooms") >= 1, after);
        Assert.True(Value(after, "actorchat_directory_watchers") >= 1, after);
        Assert.Contains("actorchat_requests_rejected", after, StringComparison.Ordinal);
        Assert.Contains("code=\"bad_room\"", after, StringComparison.Ordinal);
        Assert.Contains("actorchat_send_duration", after, StringComparison.Ordinal);

        // The embedded silo's meters are checked in a process of their own (WebhookCrashTests): here, another test
        // server of this process disposing its meters of the same names ends their export from this one too.
    }

    [Fact]
    public async Task Live_figures_are_served_as_json()
    {
        var room = $"stats-{Guid.NewGuid():N}"[..20];
        await using var alice = await server.ConnectAsync($"s-alice{room[^6..]}");
        await alice.OkAsync("join", ("room", room));
        await alice.OkAsync("send", ("room", room), ("text", "one"));
        await alice.MessagesAsync(room, 1);

        using var response = await server.Http.GetAsync("/api/stats");
        var stats = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        Assert.True(stats.GetProperty("sockets").GetInt32() >= 1);
        Assert.True(stats.GetProperty("rooms").GetInt32() >= 1);
        var received = stats.GetProperty("messagesReceived").GetInt64();
        var delivered = stats.GetProperty("messagesDelivered").GetInt64();

        await alice.OkAsync("send", ("room", room), ("text", "two"));
        await alice.MessagesAsync(room, 1);
        using var again = await server.Http.GetAsync("/api/stats");
        var later = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(again.Content);
        Assert.True(later.GetProperty("messagesReceived").GetInt64() >= received + 1);
        Assert.True(later.GetProperty("messagesDelivered").GetInt64() >= delivered + 1);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await server.Http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of every sample of a metric family (all label sets), 0 when absent.</summary>
    private static double Value(string exposition, string family) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(family, StringComparison.Ordinal) && !line.StartsWith('#'))
        .Where(line => line.Length > family.Length && (line[family.Length] is ' ' or '{' || line[family.Length..].StartsWith("_total", StringComparison.Ordinal)))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
