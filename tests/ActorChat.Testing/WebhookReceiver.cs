using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChat.Testing;

/// <summary>One webhook delivery as the receiver got it.</summary>
public sealed record ReceivedWebhook(string DeliveryId, string Signature, string Kind, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver of webhooks (Kestrel on a loopback port the OS picks) that records every delivery, and can be
/// told to fail the first attempts of each delivery or to answer slowly, as a backend that has trouble does.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Channel<ReceivedWebhook> _accepted = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly Channel<ReceivedWebhook> _arrived = Channel.CreateUnbounded<ReceivedWebhook>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Attempts of each delivery answered 500 before one is accepted.</summary>
    public int FailFirst { get; set; }

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every attempt, accepted or not.</summary>
    public ConcurrentQueue<ReceivedWebhook> Attempts { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/hook");
        return receiver;
    }

    /// <summary>The next delivery this receiver accepted, within <paramref name="deadline"/>.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan deadline, Func<ReceivedWebhook, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var next = await _accepted.Reader.ReadAsync(timeout.Token);
            if (match is null || match(next))
            {
                return next;
            }
        }
    }

    /// <summary>The next attempt to arrive (before it is answered), within <paramref name="deadline"/>.</summary>
    public async Task<ReceivedWebhook> NextAttemptAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        return await _arrived.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Accepted deliveries not yet taken, without waiting.</summary>
    public List<ReceivedWebhook> Drain()
    {
        var list = new List<ReceivedWebhook>();
        while (_accepted.Reader.TryRead(out var item))
        {
            list.Add(item);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["ActorChat-Delivery"].ToString();
        var received = new ReceivedWebhook(id, context.Request.Headers["ActorChat-Signature"].ToString(), context.Request.Headers["ActorChat-Event"].ToString(), body, DateTimeOffset.UtcNow);
        Attempts.Enqueue(received);
        _arrived.Writer.TryWrite(received);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (_attempts.AddOrUpdate(id, 1, (_, n) => n + 1) <= FailFirst)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        _accepted.Writer.TryWrite(received);
        return Results.NoContent();
    }
}
