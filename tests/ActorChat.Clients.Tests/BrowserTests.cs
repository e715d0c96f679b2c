using ActorChat.Contracts;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>The chat page served at <c>/</c>, in a real headless Chromium, against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserTests(ChatServer server)
{
    [Fact]
    public void Two_people_chat_see_presence_and_typing_and_a_direct_message_arrives()
    {
        var room = NewRoom("browser");
        var aliceId = NewUser("alice");
        var bobId = NewUser("bob");
        using var alice = Browser.Open(server.BaseAddress);
        using var bob = Browser.Open(server.BaseAddress);

        alice.SignIn(aliceId);
        bob.SignIn(bobId);
        alice.Type("#room-input", room);
        alice.Click("#join-button");
        alice.WaitFor($"#my-rooms li[data-room='{room}'][aria-current='true']");

        // The new room shows up in Bob's list of public rooms by itself.
        bob.Until(d => d.FindElements(By.CssSelector($"#public-rooms li[data-room='{room}'] .count")).FirstOrDefault()?.Text == "1", "the new room in the public list");
        bob.Click($"#public-rooms li[data-room='{room}'] button");
        bob.WaitFor($"#members li[data-user='{aliceId}']");

        // Alice sees Bob arrive and be online, and the room's count grow.
        alice.WaitFor($"#members li[data-user='{bobId}'][data-online='true']");
        alice.Until(d => d.FindElement(By.CssSelector($"#public-rooms li[data-room='{room}'] .count")).Text == "2", "the member count to grow");

        // Markup and a very long unbroken word are shown as text and wrapped, never run or widening the page.
        var hostile = "<img src=x onerror=alert(1)><b>bold?</b> " + new string('w', 600);
        alice.Type("#composer", hostile + Keys.Enter);
        var shown = bob.WaitFor("#messages li[data-seq='1'] .text");
        Assert.Equal(hostile, shown.Text.Replace("\n", string.Empty, StringComparison.Ordinal));
        Assert.Empty(bob.Driver.FindElements(By.CssSelector("#messages img, #messages b")));
        var pageWidth = (long)bob.Driver.ExecuteScript("return document.documentElement.scrollWidth")!;
        var viewport = (long)bob.Driver.ExecuteScript("return window.innerWidth")!;
        Assert.True(pageWidth <= viewport, $"the page is {pageWidth}px wide in a {viewport}px window");

        // Bob types: Alice sees it; Bob sends: Alice gets it, once.
        bob.Type("#composer", "hello ");
        alice.Until(d => d.FindElement(By.Id("typing")).Text.Contains($"{bobId} is typing", StringComparison.Ordinal), "the typing indicator");
        bob.Type("#composer", "alice" + Keys.Enter);
        Assert.Equal("hello alice", alice.WaitFor("#messages li[data-seq='2'] .text").Text);
        Assert.Equal([1L, 2L], alice.ShownSeqs());

        // An http(s) address becomes a link that opens apart from the page; other schemes stay text.
        const string withLinks = "docs: https://example.com/a?b=1. not javascript:alert(1) nor data:text/html,x";
        bob.Type("#composer", withLinks + Keys.Enter);
        var linked = alice.WaitFor("#messages li[data-seq='3'] .text");
        Assert.Equal(withLinks, linked.Text);
        var link = Assert.Single(linked.FindElements(By.TagName("a")));
        Assert.Equal(("https://example.com/a?b=1", "https://example.com/a?b=1"), (link.GetAttribute("href"), link.Text));
        Assert.Equal(("_blank", "noopener noreferrer nofollow"), (link.GetAttribute("target"), link.GetAttribute("rel")));

        // A direct message: Bob is not looking at it, so it shows as unread, and opening it shows the text.
        alice.Type("#dm-input", bobId);
        alice.Click("#dm-button");
        alice.WaitFor($"#my-dms li[aria-current='true']");
        alice.Type("#composer", "just between us" + Keys.Enter);
        alice.WaitFor($"#members li[data-user='{bobId}'][data-online='true']");
        alice.WaitFor($"#members li[data-user='{aliceId}']");
        var unread = bob.WaitFor("#my-dms li .unread");
        Assert.Equal("1", unread.Text);
        Assert.Equal("(1) ActorChat", bob.Driver.Title);
        bob.Click("#my-dms li button");
        Assert.Equal("just between us", bob.WaitFor("#messages li[data-seq='1'] .text").Text);
        alice.Screenshot("alice-direct-message");
        bob.Click($"#my-rooms li[data-room='{room}'] button");
        bob.WaitFor("#messages li[data-seq='2']");
        bob.Screenshot("bob-room");
    }

    [Fact]
    public async Task A_token_from_elsewhere_signs_in_as_its_subject_and_a_bad_one_is_refused()
    {
        var user = NewUser("oidc");
        using var browser = Browser.Open(server.BaseAddress);
        browser.Type("#login-token", "not.a.token");
        browser.Click("#token-button");
        browser.Until(d => d.FindElement(By.Id("login-error")).Text.Length > 0, "the refusal");
        Assert.Equal("That is not a JSON Web Token.", browser.Find("#login-error").Text);

        // Well formed, but signed with another key: the server says no before any socket is tried.
        var token = await server.TokenAsync(user);
        var forged = token[..token.LastIndexOf('.')] + ".c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ";
        browser.Find("#login-token").Clear();
        browser.Type("#login-token", forged);
        browser.Click("#token-button");
        browser.Until(d => d.FindElement(By.Id("login-error")).Text.StartsWith("The server refused this token", StringComparison.Ordinal), "the server's refusal");

        browser.Find("#login-token").Clear();
        browser.Type("#login-token", token);
        browser.Click("#token-button");
        browser.WaitFor("#connection[data-state='open']");
        Assert.Equal(user, browser.Find("#me").Text);
    }

    [Fact]
    public async Task When_the_users_tokens_are_revoked_the_refused_handshake_is_told_apart_and_the_page_asks_to_sign_in_again()
    {
        var user = NewUser("revoked");
        using var browser = Browser.Open(server.BaseAddress);
        browser.Type("#login-token", await server.TokenAsync(user));
        browser.Click("#token-button");
        browser.WaitFor("#connection[data-state='open']");

        // The socket closes (4003) and every reconnect's handshake is refused (401), which a page cannot see:
        // the library asks the ticket endpoint, hears unauthorized, and the page signs out with the reason.
        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).EndSessions(revokeTokens: true);
        browser.Until(d => d.FindElement(By.Id("login-error")).Text == "The server no longer takes your token: sign in again.", "the page to ask for a new token");
        Assert.Null(browser.Find("#login-view").GetAttribute("hidden"));
    }

    [Fact]
    public async Task After_the_connection_is_cut_the_page_reconnects_and_shows_every_message_exactly_once()
    {
        var room = NewRoom("cut");
        var readerId = NewUser("reader");
        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        await writer.OkAsync("send", ("room", room), ("text", "before 1"));
        await writer.OkAsync("send", ("room", room), ("text", "before 2"));

        using var reader = Browser.Open(proxy.Address);
        reader.SignIn(readerId);
        reader.Type("#room-input", room);
        reader.Click("#join-button");
        reader.WaitFor("#messages li[data-seq='2']");

        // The network goes away: no close frame, and no way back until it is restored.
        proxy.Sever();
        reader.WaitFor("#connection[data-state='reconnecting']");
        for (var i = 1; i <= 3; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"while away {i}"));
        }

        // A room opened meanwhile is in the public list once the page is back (the list is read again).
        var openedMeanwhile = NewRoom("meanwhile");
        await writer.OkAsync("join", ("room", openedMeanwhile));

        // Written while offline: it waits, then goes out once.
        reader.Type("#composer", "sent while offline" + Keys.Enter);
        reader.WaitFor("#messages li.pending");

        proxy.Restore();
        reader.WaitFor("#connection[data-state='open']");
        var fromReader = await writer.NextEventAsync(e => e.Type() == "message" && e.Str("from") == readerId);
        Assert.Equal("sent while offline", fromReader.Str("text"));
        await writer.OkAsync("send", ("room", room), ("text", "after"));

        reader.WaitFor("#messages li[data-seq='7']");
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], reader.ShownSeqs());
        Assert.Empty(reader.Driver.FindElements(By.CssSelector("#messages li.pending, #messages li.failed")));
        var texts = reader.Driver.FindElements(By.CssSelector("#messages li[data-seq] .text")).Select(e => e.Text).ToList();
        Assert.Equal(["before 1", "before 2", "while away 1", "while away 2", "while away 3", "sent while offline", "after"], texts);
        reader.WaitFor($"#public-rooms li[data-room='{openedMeanwhile}']");
        reader.Screenshot("reader-after-reconnect");
    }

    [Fact]
    public async Task Scrolling_up_pages_back_through_history_without_gaps_or_repeats()
    {
        var room = NewRoom("history");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        for (var i = 1; i <= 120; i++)
        {
            await writer.OkAsync("send", ("room", room), ("text", $"line {i}"));
        }

        using var reader = Browser.Open(server.BaseAddress);
        reader.SignIn(NewUser("scroller"));
        reader.Type("#room-input", room);
        reader.Click("#join-button");
        reader.WaitFor("#messages li[data-seq='120']");
        Assert.Equal(Enumerable.Range(71, 50).Select(i => (long)i), reader.ShownSeqs());

        foreach (var oldest in new[] { 21, 1 })
        {
            reader.Driver.ExecuteScript("document.getElementById('messages').scrollTop = 0;");
            reader.WaitFor($"#messages li[data-seq='{oldest}']");
            Assert.Equal(Enumerable.Range(oldest, 121 - oldest).Select(i => (long)i), reader.ShownSeqs());
        }

        Assert.Equal("line 1", reader.Find("#messages li[data-seq='1'] .text").Text);

        // Reading old messages, the reader is not pulled down by a new one but told it is there.
        await writer.OkAsync("send", ("room", room), ("text", "line 121"));
        reader.WaitFor("#messages li[data-seq='121']");
        Assert.True((bool)reader.Driver.ExecuteScript("const l = document.getElementById('messages'); return l.scrollHeight - l.scrollTop - l.clientHeight > 100;")!);
        reader.Click("#new-below");
        reader.Until(d => (bool)((IJavaScriptExecutor)d).ExecuteScript("const l = document.getElementById('messages'); return l.scrollHeight - l.scrollTop - l.clientHeight < 40;")!, "the list to be at its newest message");
        reader.WaitFor("#new-below[hidden]");
        reader.Screenshot("reader-history");
    }

    [Fact]
    public void A_private_room_admits_an_invited_user_who_can_then_leave()
    {
        var room = NewRoom("secret");
        var ownerId = NewUser("owner");
        var guestId = NewUser("guest");
        using var owner = Browser.Open(server.BaseAddress);
        using var guest = Browser.Open(server.BaseAddress);
        owner.SignIn(ownerId);
        guest.SignIn(guestId);

        owner.Click("#room-private");
        owner.Type("#room-input", room);
        owner.Click("#join-button");
        owner.WaitFor("#invite-form:not([hidden])");
        owner.Type("#invite-input", guestId + Keys.Enter);
        owner.Until(d => d.FindElement(By.Id("messages")).Text.Contains($"{guestId} was invited.", StringComparison.Ordinal), "the invitation note");

        // The invitation shows at once, names who sent it, outlives a reload, and the room is never listed publicly.
        Assert.Contains($"from {ownerId}", guest.WaitFor($"#invitations li[data-room='{room}']").Text, StringComparison.Ordinal);
        Assert.Equal("(1) ActorChat", guest.Driver.Title);
        guest.Driver.Navigate().Refresh();
        guest.WaitFor($"#invitations li[data-room='{room}']");
        guest.Screenshot("guest-invitation");
        Assert.Empty(guest.Driver.FindElements(By.CssSelector($"#public-rooms li[data-room='{room}']")));
        guest.Click($"#invitations li[data-room='{room}'] button");
        guest.WaitFor($"#my-rooms li[data-room='{room}'][aria-current='true']");
        guest.WaitFor("#invitations-section[hidden]");
        Assert.Equal("ActorChat", guest.Driver.Title);
        owner.WaitFor($"#members li[data-user='{guestId}']");
        owner.Type("#composer", "welcome in" + Keys.Enter);
        Assert.Equal("welcome in", guest.WaitFor("#messages li[data-seq='1'] .text").Text);

        guest.Click("#leave-button");
        guest.Until(d => d.FindElements(By.CssSelector($"#my-rooms li[data-room='{room}']")).Count == 0, "the room to leave the list");
        owner.Until(d => d.FindElements(By.CssSelector($"#members li[data-user='{guestId}']")).Count == 0, "the guest to leave the member list");

        // Invited again and declining: the notice goes, and the room no longer admits the guest.
        owner.Type("#invite-input", guestId + Keys.Enter);
        guest.Click($"#invitations li[data-room='{room}'] button.secondary");
        guest.WaitFor("#invitations-section[hidden]");
        guest.Type("#room-input", room);
        guest.Click("#join-button");
        guest.Until(d => d.FindElement(By.Id("sidebar-error")).Text.Length > 0, "the refusal");
        Assert.Empty(guest.Driver.FindElements(By.CssSelector($"#my-rooms li[data-room='{room}']")));
    }

    [Fact]
    public async Task After_the_server_restarts_the_page_resumes_with_nothing_lost_or_doubled()
    {
        var room = NewRoom("restart");
        var data = Directory.CreateTempSubdirectory("actorchat-restart-").FullName;
        var first = new ServerOnData(data);
        await first.InitializeAsync();
        await using var proxy = new CuttableProxy(first.BaseAddress);
        ServerOnData? second = null;
        var firstStopped = false;
        try
        {
            var writerId = NewUser("writer");
            await using (var writer = await first.ConnectAsync(writerId))
            {
                await writer.OkAsync("join", ("room", room));
                await writer.OkAsync("send", ("room", room), ("text", "before the restart"));
            }

            using var reader = Browser.Open(proxy.Address);
            reader.SignIn(NewUser("reader"));
            reader.Type("#room-input", room);
            reader.Click("#join-button");
            reader.WaitFor("#messages li[data-seq='1']");

            // A graceful stop closes the page's socket with 1012; the page keeps trying until a server answers.
            firstStopped = true;
            await first.DisposeAsync();
            reader.WaitFor("#connection[data-state='reconnecting']");
            second = new ServerOnData(data);
            await second.InitializeAsync();
            proxy.Retarget(second.BaseAddress);

            await using var writerAgain = await second.ConnectAsync(writerId);
            await writerAgain.OkAsync("join", ("room", room));
            await writerAgain.OkAsync("send", ("room", room), ("text", "while the page was away"));
            reader.WaitFor("#connection[data-state='open']");
            await writerAgain.OkAsync("send", ("room", room), ("text", "after it came back"));

            reader.WaitFor("#messages li[data-seq='3']");
            Assert.Equal([1L, 2L, 3L], reader.ShownSeqs());
            var texts = reader.Driver.FindElements(By.CssSelector("#messages li[data-seq] .text")).Select(e => e.Text);
            Assert.Equal(["before the restart", "while the page was away", "after it came back"], texts);
            reader.Screenshot("reader-after-restart");
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }

            await (second?.DisposeAsync() ?? Task.CompletedTask);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task On_a_phone_the_page_shows_the_rooms_or_the_conversation_with_a_way_back()
    {
        var room = NewRoom("phone");
        var userId = NewUser("phone");
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));

        using var phone = Browser.Open(server.BaseAddress, width: 390, height: 844);
        Assert.Equal(390L, (long)phone.Driver.ExecuteScript("return window.innerWidth")!);
        phone.SignIn(userId);

        // First the list of rooms, alone.
        phone.WaitFor("#chat-view[data-pane='rooms']");
        Assert.True(phone.Find(".sidebar").Displayed);
        Assert.False(phone.Find(".room").Displayed);
        phone.Type("#room-input", room);
        phone.Click("#join-button");

        // Then the conversation, alone, filling the screen: sending and reading work there.
        phone.WaitFor("#chat-view[data-pane='room']");
        Assert.False(phone.Find(".sidebar").Displayed);
        Assert.True(phone.Find("#back-button").Displayed);
        phone.Type("#composer", "hello from a phone" + Keys.Enter);
        var fromPhone = await writer.NextEventAsync(e => e.Type() == "message" && e.Str("from") == userId);
        Assert.Equal("hello from a phone", fromPhone.Str("text"));
        await writer.OkAsync("send", ("room", room), ("text", "hello back, phone"));
        var reply = phone.SeqOf("hello back, phone");
        Assert.True(phone.Find($"#messages li[data-seq='{reply}'] .text").Displayed);
        var log = phone.Find("#messages");
        Assert.True(log.Size.Width >= 340, $"the conversation is {log.Size.Width}px wide on a 390px screen");
        Assert.True(phone.Find("#composer").Displayed);
        var pageWidth = (long)phone.Driver.ExecuteScript("return document.documentElement.scrollWidth")!;
        Assert.True(pageWidth <= 390, $"the page is {pageWidth}px wide on a 390px screen");
        phone.Screenshot("phone-conversation");

        // Back to the list, and into the room again.
        phone.Click("#back-button");
        phone.WaitFor("#chat-view[data-pane='rooms']");
        Assert.True(phone.Find(".sidebar").Displayed);
        Assert.False(phone.Find(".room").Displayed);
        phone.Screenshot("phone-rooms");
        phone.Click($"#my-rooms li[data-room='{room}'] button");
        phone.WaitFor("#chat-view[data-pane='room']");
        Assert.Equal("hello back, phone", phone.WaitFor($"#messages li[data-seq='{reply}'] .text").Text);
    }

    /// <summary>A server on a given data directory: the second one starts where the first stopped.</summary>
    private sealed class ServerOnData(string dataDirectory) : ChatServer(dataDirectory);
}
