namespace ActorChat.FrontEnd.Web;

/// <summary>The browser page and the JavaScript library served by the front end, bound from <c>ActorChat:Web</c>.</summary>
public sealed class WebClientOptions
{
    public const string Section = "ActorChat:Web";

    /// <summary>Serve the chat page at <c>/</c> and the client library at <c>/actorchat.js</c>.</summary>
    public bool Enabled { get; set; } = true;
}
