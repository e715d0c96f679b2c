using ActorChat.Contracts;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Makes tickets and leaves them with their shard grain, where any front end can redeem them.</summary>
internal sealed class TicketIssuer(IGrainFactory grains, IOptions<AuthOptions> options)
{
    public async Task<(string Ticket, DateTimeOffset ExpiresAt)> IssueAsync(string user, DateTimeOffset? tokenIssuedAt, DateTimeOffset? tokenExpiresAt)
    {
        var ticket = Tickets.New();
        var key = Tickets.Key(ticket);
        var expiresAt = await grains.Grain<ITicketShardGrain>(ITicketShardGrain.Of(key)).Issue(key, user, tokenIssuedAt, tokenExpiresAt, options.Value.TicketLifetime);
        return (ticket, expiresAt);
    }
}
