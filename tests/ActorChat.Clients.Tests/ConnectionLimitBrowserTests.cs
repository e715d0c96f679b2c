using OpenQA.Selenium;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>A server that lets each user hold one connection, so a second tab is over the limit for certain.</summary>
public sealed class OneConnectionServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:MaxConnectionsPerUser"] = "1",
});

/// <summary>What a page shows when the server's connection limits turn its socket away.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConnectionLimitBrowserTests(OneConnectionServer server) : IClassFixture<OneConnectionServer>
{
    [Fact]
    public void A_second_tab_over_the_users_limit_says_so_waits_and_gets_in_once_the_first_is_closed()
    {
        var user = NewUser("tabs");
        var first = Browser.Open(server.BaseAddress);
        var firstOpen = true;
        try
        {
            first.SignIn(user);

            // A browser is not shown why an upgrade was refused; the close code (4029) it is shown.
            using var second = Browser.Open(server.BaseAddress);
            second.Type("#login-name", user);
            second.Click("#login-button");
            second.Until(d => d.FindElement(By.Id("connection")).Text.StartsWith("Too many open tabs or devices on this server", StringComparison.Ordinal), "the page to name the limit");

            first.Dispose();
            firstOpen = false;
            second.Until(d => d.FindElement(By.Id("connection")).GetAttribute("data-state") == "open", "the second tab to get in", TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (firstOpen)
            {
                first.Dispose();
            }
        }
    }
}
