using Microsoft.AspNetCore.Builder;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Endpoint metadata: this endpoint may be opened with <c>?ticket=</c> instead of a bearer token.</summary>
internal sealed class TicketAccepted
{
    public static readonly TicketAccepted Instance = new();

    private TicketAccepted()
    {
    }
}

internal static class TicketAcceptedExtensions
{
    /// <summary>
    /// Lets browsers open this endpoint with a ticket. Only for what browsers cannot open with a header: the
    /// socket and the event stream. Everything else takes the bearer token alone.
    /// </summary>
    public static TBuilder AcceptsTickets<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(TicketAccepted.Instance);
}
