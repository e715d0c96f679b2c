namespace ActorChat.FrontEnd.Relay;

/// <summary>A feed the relay keeps for one key (a room, a user) while local connections use it.</summary>
internal interface ISharedFeed
{
    string Key { get; }

    /// <summary>The subscription, made once on first use; everyone who uses the feed awaits it.</summary>
    Lazy<Task> Ready { get; }

    Task StopAsync();
}
