using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using ActorChat.Grains.Webhooks;
using ActorChat.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ActorChat.Grains.Tests.Webhooks;

/// <summary>Webhooks from a real silo to a real HTTP receiver: signed, at least once, retried, dead-lettered, coalesced.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "webhook-test-secret-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"actorchat-webhooks-{Guid.NewGuid():N}");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private WebhookReceiver _receiver = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Storage:DataDirectory"] = _directory,
            ["ActorChat:Webhooks:Endpoints:0:Name"] = "app",
            ["ActorChat:Webhooks:Endpoints:0:Url"] = _receiver.Url.ToString(),
            ["ActorChat:Webhooks:Endpoints:0:Secret"] = Secret,
            ["ActorChat:Webhooks:PollInterval"] = "00:00:00.020",
            ["ActorChat:Webhooks:InitialBackoff"] = "00:00:00.050",
            ["ActorChat:Webhooks:MaxBackoff"] = "00:00:00.200",
            ["ActorChat:Webhooks:MaxAttempts"] = "4",
            ["ActorChat:Webhooks:NotificationInterval"] = "00:00:02",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddActorChatGrains(configuration));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_kind_of_event_arrives_signed_with_a_delivery_id()
    {
        var room = _cluster.Client.GetGrain<IRoomGrain>($"hooks-{_run}");
        await room.Join("ann");
        await room.Join("bob");
        var sent = await room.Post("ann", new MessageDraft("hello", "c1"));
        await room.Edit("ann", sent.Seq, "hello there");
        await room.Delete("ann", sent.Seq);
        await room.Leave("bob");

        string[] expected = [WebhookEvents.RoomCreated, WebhookEvents.MemberJoined, WebhookEvents.MemberJoined, WebhookEvents.MessageCreated,
            WebhookEvents.MessageEdited, WebhookEvents.MessageDeleted, WebhookEvents.MemberLeft];
        var received = new List<ReceivedWebhook>();
        while (received.Count < expected.Length)
        {
            received.Add(await _receiver.NextAsync(Deadline));
        }

        // Deliveries run side by side, so they may arrive in any order; each arrives once.
        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Select(r => r.Kind).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.True(WebhookSignature.Verify(Secret, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), r.Body));
        Assert.All(received, r => Assert.False(WebhookSignature.Verify("another-secret-0123456789", r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        Assert.Equal(received.Count, received.Select(r => r.DeliveryId).Distinct().Count());

        var created = JsonDocument.Parse(received.Single(r => r.Kind == WebhookEvents.MessageCreated).Body).RootElement;
        Assert.Equal((WebhookEvents.MessageCreated, "hello", "ann", "c1"),
            (created.GetProperty("type").GetString(), created.GetProperty("data").GetProperty("text").GetString(),
             created.GetProperty("data").GetProperty("from").GetString(), created.GetProperty("data").GetProperty("clientMsgId").GetString()));
        Assert.Equal(received.Single(r => r.Kind == WebhookEvents.MessageCreated).DeliveryId, created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_receiver_that_fails_at_first_gets_each_event_once_accepted_with_the_same_delivery_id()
    {
        _receiver.FailFirst = 2;
        var room = _cluster.Client.GetGrain<IRoomGrain>($"retry-{_run}");
        await room.Join("ann");
        await room.Post("ann", new MessageDraft("persist", null));

        var accepted = new List<ReceivedWebhook>();
        while (!accepted.Any(r => r.Kind == WebhookEvents.MessageCreated))
        {
            accepted.Add(await _receiver.NextAsync(Deadline));
        }

        var message = accepted.Single(r => r.Kind == WebhookEvents.MessageCreated);
        var attempts = _receiver.Attempts.Where(a => a.DeliveryId == message.DeliveryId).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Body).Distinct());
    }

    [Fact]
    public async Task After_its_last_attempt_a_delivery_is_a_dead_letter_an_operator_can_replay()
    {
        _receiver.FailFirst = 100;
        var room = _cluster.Client.GetGrain<IRoomGrain>($"dead-{_run}");
        await room.Join("ann");
        await room.Post("ann", new MessageDraft("lost?", null));

        var store = _cluster.Silos[0].ServiceProvider.GetRequiredService<ChatStoreHost>().Webhooks;
        using var deadline = new CancellationTokenSource(Deadline);
        IReadOnlyList<ActorChat.Storage.DeadLetter> dead;
        while ((dead = await store.DeadLettersAsync(100)).All(d => d.Kind != WebhookEvents.MessageCreated))
        {
            await Task.Delay(20, deadline.Token);
        }

        var letter = dead.Single(d => d.Kind == WebhookEvents.MessageCreated);
        Assert.Equal((4, "HTTP 500"), (letter.Attempts, letter.LastError));

        _receiver.FailFirst = 0;
        Assert.Equal(1, await store.ReplayAsync(letter.EventId, null, DateTimeOffset.UtcNow));
        var replayed = await _receiver.NextAsync(Deadline, r => r.DeliveryId == letter.EventId);
        Assert.Equal(WebhookEvents.MessageCreated, replayed.Kind);
    }

    [Fact]
    public async Task Fifty_direct_messages_to_someone_away_are_one_notification_and_none_for_someone_here()
    {
        var (away, here) = ($"away{_run}", $"here{_run}");
        var toAway = _cluster.Client.GetGrain<IRoomGrain>(ChatIds.Direct("sender", away));
        var toHere = _cluster.Client.GetGrain<IRoomGrain>(ChatIds.Direct("sender", here));
        await _cluster.Client.GetGrain<IUserGrain>(here).Connect("phone");
        // A burst: well within the interval, so one notification tells of all of it.
        await Task.WhenAll(Enumerable.Range(1, 49).Select(i => toAway.Post("sender", new MessageDraft($"ping {i}", null))));
        await toAway.Post("sender", new MessageDraft("ping 50", null));

        await toHere.Post("sender", new MessageDraft("you are here", null));
        var notification = await _receiver.NextAsync(Deadline, r => r.Kind == WebhookEvents.NotificationNeeded);
        var data = JsonDocument.Parse(notification.Body).RootElement.GetProperty("data");
        Assert.Equal((away, 50, "ping 50", "direct"),
            (data.GetProperty("user").GetString(), data.GetProperty("count").GetInt32(), data.GetProperty("latest").GetProperty("text").GetString(), data.GetProperty("reason").GetString()));

        // The one who was here gets no notification: another burst to the away user shows the sweep has passed it.
        await toAway.Post("sender", new MessageDraft("again", null));
        await _receiver.NextAsync(Deadline, r => r.Kind == WebhookEvents.NotificationNeeded && r.Body.Contains("again", StringComparison.Ordinal));
        Assert.DoesNotContain(_receiver.Attempts, r => r.Kind == WebhookEvents.NotificationNeeded && r.Body.Contains(here, StringComparison.Ordinal));
    }
}
