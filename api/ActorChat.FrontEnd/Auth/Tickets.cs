using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// One-use tickets for opening sockets and event streams: what they look like, where they are accepted, and the
/// grain key that stands for one. See docs/security.md.
/// </summary>
internal static class Tickets
{
    /// <summary>The authentication scheme that redeems tickets.</summary>
    public const string Scheme = "Ticket";

    /// <summary>The query parameter a ticket comes in: browsers cannot set headers on a WebSocket or an EventSource.</summary>
    public const string QueryParameter = "ticket";

    private const int Bytes = 32;

    /// <summary>A new ticket: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Whether <paramref name="ticket"/> could be one this server issued; anything else is refused without a grain call.</summary>
    public static bool IsWellFormed(string ticket) =>
        ticket.Length == Base64Url.GetEncodedLength(Bytes) && Base64Url.IsValid(ticket, out var length) && length == Bytes;

    /// <summary>
    /// The ticket's key in its shard grain: the SHA-256 of the ticket in lower-case hex. What a grain holds can show up
    /// in diagnostics; a hash there opens nothing.
    /// </summary>
    public static string Key(string ticket) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(ticket)));

    /// <summary>Whether the request's endpoint takes a ticket (the socket and the event stream; nothing else).</summary>
    public static bool Accepted(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<TicketAccepted>() is not null;
}
