using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>A server that keeps a weak reference to the services of each finished request under <c>/api/rooms</c>.</summary>
public sealed class RequestScopeServer : ChatServer
{
    public ScopeProbe Probe { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(Probe));
    }

    public sealed class ScopeProbe : IStartupFilter
    {
        private readonly Lock _lock = new();
        private readonly List<WeakReference> _finished = [];

        /// <summary>Released once for each request to <c>/api/rooms</c> the probe has seen finish.</summary>
        public SemaphoreSlim Finished { get; } = new(0);

        public int Alive()
        {
            lock (_lock)
            {
                return _finished.Count(r => r.IsAlive);
            }
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                await inner(context);
                if (context.Request.Path.StartsWithSegments("/api/rooms"))
                {
                    Remember(context.RequestServices);
                    Finished.Release();
                }
            });
            next(app);
        };

        // Not inlined, so no local of the caller's frame keeps the services reachable.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Remember(IServiceProvider services)
        {
            lock (_lock)
            {
                _finished.Add(new WeakReference(services));
            }
        }
    }
}

/// <summary>What a request leaves behind once it is answered: nothing of its own scope.</summary>
public sealed class RequestScopeTests(RequestScopeServer server) : IClassFixture<RequestScopeServer>
{
    [Fact]
    public async Task A_rate_limited_request_leaves_no_trace_of_its_services_in_the_users_limiter()
    {
        // Each new user's first request makes the user's rate limiter partition; the partition outlives the request.
        foreach (var user in Enumerable.Range(0, 5).Select(i => $"scope{i}{Guid.NewGuid():N}"[..16]))
        {
            using var request = ChatServer.Authorized(HttpMethod.Get, "/api/rooms", await server.TokenAsync(user));
            using var response = await server.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        // The probe records after the pipeline has returned, which can be after the client has its response.
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await server.Probe.Finished.WaitAsync(ChatClient.Deadline));
        }

        // The host lets go of a request's services just after the pipeline returns, and nothing signals that: collect
        // until they are gone. Within 5 s: an idle partition is dropped after 10 s, and with it whatever it held.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (server.Probe.Alive() > 0 && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Probe.Alive());
    }
}
