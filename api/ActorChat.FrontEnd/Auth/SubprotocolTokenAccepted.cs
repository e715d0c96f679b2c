using Microsoft.AspNetCore.Builder;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Endpoint metadata: a WebSocket upgrade of this endpoint may carry its token as the subprotocol <c>actorchat.bearer.&lt;token&gt;</c>.</summary>
internal sealed class SubprotocolTokenAccepted
{
    public static readonly SubprotocolTokenAccepted Instance = new();

    private SubprotocolTokenAccepted()
    {
    }
}

internal static class SubprotocolTokenAcceptedExtensions
{
    /// <summary>Lets browsers open this WebSocket endpoint with the token as its subprotocol. Only <c>/ws</c>.</summary>
    public static TBuilder AcceptsSubprotocolToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(SubprotocolTokenAccepted.Instance);
}
