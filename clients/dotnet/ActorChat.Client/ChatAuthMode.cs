namespace ActorChat.Client;

/// <summary>How a <see cref="ChatClient"/> shows the server its token when it opens a socket.</summary>
public enum ChatAuthMode
{
    /// <summary>
    /// Trades the token for a one-use ticket (<c>POST /api/auth/ticket</c>) before every connect and opens
    /// <c>/ws?ticket=</c>: the token never appears in a URL, and the one in the URL is spent at once.
    /// </summary>
    Ticket,

    /// <summary>Sends the token as <c>Authorization: Bearer</c> on the upgrade: one round trip less.</summary>
    BearerHeader,
}
