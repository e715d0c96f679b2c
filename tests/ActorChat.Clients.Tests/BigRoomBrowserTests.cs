using OpenQA.Selenium;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>A server whose rooms stop tracking presence once they have more than one member.</summary>
public sealed class OneMemberPresenceServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Rooms:PresenceMemberLimit"] = "1",
});

/// <summary>What the page shows of a room above the presence limit, where the server does not say who is online.</summary>
[Collection(ServerCollection.Name)]
public sealed class BigRoomBrowserTests(OneMemberPresenceServer server) : IClassFixture<OneMemberPresenceServer>
{
    [Fact]
    public void A_room_above_the_presence_limit_lists_its_members_without_calling_anyone_online_or_offline()
    {
        var room = NewRoom("crowd");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        using var alice = Browser.Open(server.BaseAddress);
        alice.SignIn(aliceId);
        alice.Type("#room-input", room);
        alice.Click("#join-button");
        alice.WaitFor($"#members li[data-user='{aliceId}'][data-online='true']");
        alice.Until(d => d.FindElement(By.Id("room-meta")).Text.StartsWith("1 member, 1 online", StringComparison.Ordinal), "the count with who is online");

        using var bob = Browser.Open(server.BaseAddress);
        bob.SignIn(bobId);
        bob.Type("#room-input", room);
        bob.Click("#join-button");
        bob.WaitFor($"#members li[data-user='{aliceId}'][data-online='null']");
        bob.WaitFor($"#members li[data-user='{bobId}'][data-online='null']");
        bob.Until(d => d.FindElement(By.Id("room-meta")).Text == "2 members", "the count alone");
        Assert.DoesNotContain(bob.Driver.FindElements(By.CssSelector("#members .visually-hidden")), e => e.GetAttribute("textContent")!.Contains("line", StringComparison.Ordinal));
    }
}
