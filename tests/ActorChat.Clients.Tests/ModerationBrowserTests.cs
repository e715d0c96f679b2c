using OpenQA.Selenium;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>Rooms their owners moderate, on the chat page in Chromium against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModerationBrowserTests(ChatServer server)
{
    private static string Member(string user) => $"#members li[data-user='{user}']";

    [Fact]
    public async Task A_banned_user_sees_it_on_their_page_loses_the_room_and_cannot_send_or_join_there_again()
    {
        var room = NewRoom("ban");
        var ownerId = NewUser("owner");
        var bobId = NewUser("bob");
        using var owner = Browser.Open(server.BaseAddress);
        using var bob = Browser.Open(server.BaseAddress);
        owner.SignIn(ownerId);
        bob.SignIn(bobId);
        owner.JoinRoom(room);
        bob.JoinRoom(room);
        bob.Type("#composer", "hello all" + Keys.Enter);
        owner.SeqOf("hello all");

        // The owner bans Bob for good from the member menu; a member has no such menu.
        Assert.False(bob.Has($"{Member(ownerId)} button.manage"));
        owner.Click($"{Member(bobId)} button.manage");
        owner.Click($"{Member(bobId)} select[data-field='duration'] option[value='']");
        owner.Click($"{Member(bobId)} button[data-action='ban']");

        // Bob's page says so, the room leaves his list, and the composer takes nothing more.
        bob.Until(_ => bob.TextOf("#restriction")?.StartsWith($"You were banned from #{room} by {ownerId}", StringComparison.Ordinal) == true, "the ban on Bob's page");
        bob.Until(_ => !bob.Has($"#my-rooms li[data-room='{room}']"), "the room to leave Bob's list");
        Assert.False(bob.Find("#composer").Enabled);
        Assert.Contains($"You were banned from #{room} by {ownerId}.", bob.Find("#messages").Text, StringComparison.Ordinal);
        owner.Until(_ => !owner.Has(Member(bobId)), "Bob to leave the member list");
        owner.Until(_ => owner.Find("#messages").Text.Contains($"{bobId} was banned by {ownerId}.", StringComparison.Ordinal), "the ban noted in the room");
        bob.Screenshot("bob-banned");

        // The server refuses him: a message from any connection of his, and joining again from the page.
        await using (var bobSocket = await server.ConnectAsync(bobId))
        {
            var refused = await bobSocket.RequestAsync("send", ("room", room), ("text", "let me back in"));
            Assert.Equal("error", refused.Type());
            Assert.True(refused.Str("code") is "not_member" or "forbidden", $"refused with {refused}");
        }

        bob.Type("#room-input", room);
        bob.Click("#join-button");
        bob.Until(_ => bob.TextOf("#sidebar-error")?.Length > 0, "the refusal to join");
        Assert.False(bob.Has($"#my-rooms li[data-room='{room}']"));

        // Gone after a reload too; the owner's page shows no message of his after the ban.
        bob.Driver.Navigate().Refresh();
        bob.WaitFor("#connection[data-state='open']");
        Assert.False(bob.Has($"#my-rooms li[data-room='{room}']"));
        Assert.DoesNotContain("let me back in", owner.Find("#messages").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_muted_member_is_told_until_when_and_slow_mode_says_how_long_to_wait()
    {
        var room = NewRoom("mute");
        var ownerId = NewUser("owner");
        var bobId = NewUser("bob");
        using var owner = Browser.Open(server.BaseAddress);
        using var bob = Browser.Open(server.BaseAddress);
        owner.SignIn(ownerId);
        bob.SignIn(bobId);
        owner.JoinRoom(room);
        bob.JoinRoom(room);
        owner.WaitFor(Member(bobId));

        // Muted for an hour (the menu's default): Bob reads but cannot write, and sees until when.
        owner.Click($"{Member(bobId)} button.manage");
        owner.Click($"{Member(bobId)} button[data-action='mute']");
        bob.Until(_ => bob.TextOf("#restriction")?.StartsWith($"You are muted in #{room} until ", StringComparison.Ordinal) == true, "the mute on Bob's page");
        Assert.False(bob.Find("#composer").Enabled);
        owner.Click($"{Member(bobId)} button.manage");
        owner.Click($"{Member(bobId)} button[data-action='unmute']");
        bob.Until(_ => bob.Find("#composer").Enabled, "the composer back after the unmute");

        // The owner sets a topic and slow mode; the member is told, and after a message how long to wait.
        owner.Click("#settings-button");
        owner.Find("#topic-input").SendKeys("lunch plans");
        owner.Find("#slow-mode-input").Clear();
        owner.Find("#slow-mode-input").SendKeys("30");
        owner.Click("#settings-save");
        bob.Until(_ => bob.TextOf("#room-topic") == "lunch plans", "the topic on Bob's page");
        bob.Until(_ => bob.TextOf("#restriction") == "Slow mode: one message every 30 s.", "slow mode on Bob's page");
        owner.Until(_ => owner.TextOf("#restriction") == "Slow mode is on (30 s); as an owner you are exempt.", "the owner's exemption");

        bob.Type("#composer", "first" + Keys.Enter);
        bob.SeqOf("first");
        bob.Until(_ => bob.TextOf("#restriction")?.StartsWith("Slow mode: you can send again in ", StringComparison.Ordinal) == true, "the wait after sending");
        bob.Type("#composer", "second" + Keys.Enter);
        var failed = bob.WaitFor("#messages li.failed");
        Assert.StartsWith("not sent:", failed.FindElement(By.TagName("time")).Text, StringComparison.Ordinal);
        Assert.True(bob.Has("#messages li.failed button.retry"));

        // Owners are exempt.
        owner.Type("#composer", "one more from the owner" + Keys.Enter);
        owner.Type("#composer", "and another" + Keys.Enter);
        bob.SeqOf("and another");
        bob.Screenshot("bob-slow-mode");
    }
}
