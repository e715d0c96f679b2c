using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// The server's upgrade, with the upgraded stream wrapped in a <see cref="CoalescingStream"/> that the WebSocket
/// writes through; the stream is also left in the request's features for the connection's writer to find.
/// Installed ahead of the WebSocket middleware, which takes the upgrade feature when the request comes in.
/// </summary>
internal sealed class CoalescingUpgrade(IHttpUpgradeFeature inner, IFeatureCollection features) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = new CoalescingStream(await inner.UpgradeAsync());
        features.Set(stream);
        return stream;
    }

    /// <summary>Wraps the upgrade of every upgradable request (HTTP/1.1 WebSockets; HTTP/2 ones write uncoalesced).</summary>
    public static Task Install(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgrade(upgrade, context.Features));
        }

        return next(context);
    }
}
