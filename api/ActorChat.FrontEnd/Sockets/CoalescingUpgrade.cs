using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// Puts a <see cref="CoalescingStream"/> under the WebSocket that ASP.NET Core's middleware builds, by handing it
/// wrapped upgrade features (HTTP/1.1 upgrade and HTTP/2 extended CONNECT). The endpoint finds the stream with
/// <see cref="StreamOf"/> after accepting.
/// </summary>
internal static class CoalescingUpgrade
{
    public static void Install(HttpContext context)
    {
        var holder = new Holder();
        context.Features.Set(holder);
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new Upgrade(upgrade, holder));
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(connect, holder));
        }
    }

    public static CoalescingStream? StreamOf(HttpContext context) => context.Features.Get<Holder>()?.Stream;

    private sealed class Holder
    {
        public CoalescingStream? Stream { get; set; }

        public Stream Wrap(Stream inner) => Stream = new CoalescingStream(inner);
    }

    private sealed class Upgrade(IHttpUpgradeFeature inner, Holder holder) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => holder.Wrap(await inner.UpgradeAsync());
    }

    private sealed class ExtendedConnect(IHttpExtendedConnectFeature inner, Holder holder) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => holder.Wrap(await inner.AcceptAsync());
    }
}
