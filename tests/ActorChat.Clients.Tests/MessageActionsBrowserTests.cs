using OpenQA.Selenium;

using static ActorChat.Clients.Tests.UniqueIds;

namespace ActorChat.Clients.Tests;

/// <summary>Messages people fix, react to and answer, on the chat page in Chromium against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessageActionsBrowserTests(ChatServer server)
{
    private static readonly string[] MentionsOfAlice = ["alice"];

    private static string Item(long seq) => $"#messages li[data-seq='{seq}']";

    [Fact]
    public void Authors_edit_and_delete_their_messages_an_owner_deletes_anyones_and_a_reload_shows_the_same()
    {
        var room = NewRoom("edits");
        var aliceId = NewUser("alice");
        var bobId = NewUser("bob");
        using var alice = Browser.Open(server.BaseAddress);
        using var bob = Browser.Open(server.BaseAddress);
        alice.SignIn(aliceId);
        bob.SignIn(bobId);
        alice.JoinRoom(room);
        bob.JoinRoom(room);
        alice.WaitFor($"#members li[data-user='{bobId}']");

        alice.Type("#composer", "helo wrld" + Keys.Enter);
        var first = bob.SeqOf("helo wrld");
        Assert.Equal(first, alice.SeqOf("helo wrld"));

        // Only the author edits, and a member deletes only their own: Bob's page offers neither on Alice's message.
        Assert.False(bob.Has($"{Item(first)} button[data-action='edit']"));
        Assert.False(bob.Has($"{Item(first)} button[data-action='delete']"));
        alice.Click($"{Item(first)} button[data-action='edit']");
        var box = alice.WaitFor($"{Item(first)} form.edit textarea");
        Assert.Equal("helo wrld", box.GetAttribute("value"));
        box.Clear();
        box.SendKeys("hello world" + Keys.Enter);
        foreach (var page in new[] { alice, bob })
        {
            page.Until(_ => page.TextOf($"{Item(first)} .text") == "hello world", "the edited text");
            page.WaitFor($"{Item(first)} .edited");
        }

        // The author deletes: both pages keep a tombstone in its place and forget the text.
        bob.Type("#composer", "oops, wrong room" + Keys.Enter);
        var oops = bob.SeqOf("oops, wrong room");
        Assert.Equal(oops, alice.SeqOf("oops, wrong room"));
        bob.Click($"{Item(oops)} button[data-action='delete']");
        bob.Click($"{Item(oops)} button[data-action='confirm-delete']");
        foreach (var page in new[] { alice, bob })
        {
            Assert.Equal("This message was deleted.", page.WaitFor($"{Item(oops)}.deleted .tombstone").Text);
            Assert.False(page.Has($"{Item(oops)} .text"));
        }

        // The owner (who created the room) deletes a member's message.
        bob.Type("#composer", "buy cheap watches" + Keys.Enter);
        var spam = alice.SeqOf("buy cheap watches");
        alice.Click($"{Item(spam)} button[data-action='delete']");
        alice.Click($"{Item(spam)} button[data-action='confirm-delete']");
        bob.WaitFor($"{Item(spam)}.deleted .tombstone");

        // A reload reads the room's history: the same state, the deleted texts gone for good.
        bob.Driver.Navigate().Refresh();
        bob.WaitFor("#connection[data-state='open']");
        bob.Until(_ => bob.TextOf($"{Item(first)} .text") == "hello world", "the edited text after a reload");
        bob.WaitFor($"{Item(first)} .edited");
        bob.WaitFor($"{Item(oops)}.deleted .tombstone");
        bob.WaitFor($"{Item(spam)}.deleted .tombstone");
        var shown = bob.Find("#messages").Text;
        Assert.DoesNotContain("wrong room", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("watches", shown, StringComparison.Ordinal);
        bob.Screenshot("bob-edited-and-deleted");
    }

    [Fact]
    public void Reactions_toggle_with_a_click_a_reply_quotes_what_it_answers_and_a_mention_is_counted_and_highlighted()
    {
        var room = NewRoom("react");
        var aliceId = NewUser("alice");
        var bobId = NewUser("bob");
        using var alice = Browser.Open(server.BaseAddress);
        using var bob = Browser.Open(server.BaseAddress);
        alice.SignIn(aliceId);
        bob.SignIn(bobId);
        alice.JoinRoom(room);
        bob.JoinRoom(room);
        bob.WaitFor($"#members li[data-user='{aliceId}']");

        alice.Type("#composer", "lunch at noon?" + Keys.Enter);
        var question = bob.SeqOf("lunch at noon?");
        Assert.Equal(question, alice.SeqOf("lunch at noon?"));

        // Bob adds 👍 from the picker; then a click on the reaction adds one's own or takes it back, on both pages.
        var thumbs = $"{Item(question)} button.reaction[data-emoji='👍']";
        bob.Click($"{Item(question)} button[data-action='react']");
        bob.Click($"{Item(question)} .picker button[data-emoji='👍']");
        Reaction(alice, thumbs, count: 1, mine: false);
        Reaction(bob, thumbs, count: 1, mine: true);
        alice.Click(thumbs);
        Reaction(alice, thumbs, count: 2, mine: true);
        Reaction(bob, thumbs, count: 2, mine: true);
        bob.Click(thumbs);
        Reaction(bob, thumbs, count: 1, mine: false);
        Reaction(alice, thumbs, count: 1, mine: true);
        alice.Click(thumbs);
        foreach (var page in new[] { alice, bob })
        {
            page.Until(_ => !page.Has(thumbs), "the last 👍 to be taken back");
        }

        bob.Click($"{Item(question)} button[data-action='react']");
        bob.Click($"{Item(question)} .picker button[data-emoji='🎉']");
        Reaction(alice, $"{Item(question)} button.reaction[data-emoji='🎉']", count: 1, mine: false);

        // Alice looks at another room while Bob answers her, naming her: the room shows a mention waiting.
        alice.JoinRoom(NewRoom("elsewhere"));
        bob.Click($"{Item(question)} button[data-action='reply']");
        Assert.Contains("lunch at noon?", bob.WaitFor("#reply-bar:not([hidden]) #reply-quote").Text, StringComparison.Ordinal);
        bob.Type("#composer", $"yes @{aliceId}, see you there" + Keys.Enter);
        var answer = bob.SeqOf($"yes @{aliceId}, see you there");
        bob.WaitFor("#reply-bar[hidden]");
        Assert.Equal($"{aliceId}: lunch at noon?", bob.Find($"{Item(answer)} .reply").Text);
        alice.Until(_ => alice.TextOf($"#my-rooms li[data-room='{room}'] .mentions") == "@1", "the mention counted in the list of rooms");

        alice.Click($"#my-rooms li[data-room='{room}'] button");
        Assert.Equal($"@{aliceId}", alice.WaitFor($"{Item(answer)}.mentions-me .text .at.me").Text);
        Assert.Equal($"{aliceId}: lunch at noon?", alice.Find($"{Item(answer)} .reply").Text);
        Assert.False(alice.Has($"#my-rooms li[data-room='{room}'] .mentions"));

        // The quoted line follows the message it quotes.
        alice.Click($"{Item(question)} button[data-action='edit']");
        var box = alice.WaitFor($"{Item(question)} form.edit textarea");
        box.Clear();
        box.SendKeys("lunch at 12:30?" + Keys.Enter);
        foreach (var page in new[] { alice, bob })
        {
            page.Until(_ => page.TextOf($"{Item(answer)} .reply") == $"{aliceId}: lunch at 12:30?", "the quote to follow the edit");
        }

        // For the picture: a message taken back, too.
        bob.Type("#composer", "wrong window, sorry" + Keys.Enter);
        var taken = bob.SeqOf("wrong window, sorry");
        bob.Click($"{Item(taken)} button[data-action='delete']");
        bob.Click($"{Item(taken)} button[data-action='confirm-delete']");
        alice.WaitFor($"{Item(taken)}.deleted");
        alice.Screenshot("alice-reactions-and-reply");
    }

    /// <summary>
    /// The issue's rule, end to end: a page that resumes after any mix of edits, deletions and reactions made while it
    /// was cut off ends with exactly what a page reading history shows, each change applied once.
    /// </summary>
    [Fact]
    public async Task After_a_cut_the_page_catches_up_on_edits_deletions_and_reactions_and_shows_what_history_shows()
    {
        var room = NewRoom("resume");
        var readerId = NewUser("reader");
        await using var proxy = new CuttableProxy(server.BaseAddress);
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("join", ("room", room));
        var first = Seq(await writer.OkAsync("send", ("room", room), ("text", "first")));
        var second = Seq(await writer.OkAsync("send", ("room", room), ("text", "secnod")));
        var third = Seq(await writer.OkAsync("send", ("room", room), ("text", "third")));

        using var reader = Browser.Open(proxy.Address);
        reader.SignIn(readerId);
        reader.JoinRoom(room);
        reader.WaitFor(Item(third));
        reader.Click($"{Item(first)} button[data-action='react']");
        reader.Click($"{Item(first)} .picker button[data-emoji='👍']");
        Reaction(reader, $"{Item(first)} button.reaction[data-emoji='👍']", count: 1, mine: true);

        proxy.Sever();
        reader.WaitFor("#connection[data-state='reconnecting']");
        await writer.OkAsync("react", ("room", room), ("seq", first), ("emoji", "👍"));
        await writer.OkAsync("react", ("room", room), ("seq", first), ("emoji", "🎉"));
        await writer.OkAsync("edit", ("room", room), ("seq", second), ("text", "second"));
        await writer.OkAsync("react", ("room", room), ("seq", third), ("emoji", "🎉"));
        await writer.OkAsync("delete", ("room", room), ("seq", third));
        var fourth = Seq(await writer.OkAsync("send", ("room", room), ("text", "fourht")));
        await writer.OkAsync("edit", ("room", room), ("seq", fourth), ("text", "fourth"));
        await writer.OkAsync("react", ("room", room), ("seq", fourth), ("emoji", "👍"));
        await writer.OkAsync("unreact", ("room", room), ("seq", first), ("emoji", "🎉"));
        proxy.Restore();
        reader.WaitFor("#connection[data-state='open']");
        await writer.OkAsync("react", ("room", room), ("seq", fourth), ("emoji", "🎉"));
        Reaction(reader, $"{Item(fourth)} button.reaction[data-emoji='🎉']", count: 1, mine: false);

        using var fresh = Browser.Open(new Uri(server.BaseAddress, $"/#{room}"));
        fresh.SignIn(readerId);
        fresh.WaitFor($"{Item(fourth)} button.reaction[data-emoji='🎉']");
        var resumed = Snapshot(reader);
        Assert.Equal(Snapshot(fresh), resumed);
        Assert.Equal(
            [
                $"{first}|first|-|-|👍 2 true",
                $"{second}|second|edited|-|",
                $"{third}||-|deleted|",
                $"{fourth}|fourth|edited|-|👍 1 false,🎉 1 false",
            ],
            resumed);
    }

    /// <summary>Each message on the page as "seq|text|edited|deleted|reactions", top to bottom.</summary>
    private static List<string> Snapshot(Browser page) =>
        [.. ((IEnumerable<object>)page.Driver.ExecuteScript(SnapshotScript)!).Select(line => (string)line)];

    private const string SnapshotScript = """
        return [...document.querySelectorAll('#messages li[data-seq]')].map((li) => [
          li.dataset.seq,
          li.querySelector('.text')?.textContent ?? '',
          li.querySelector('.edited') ? 'edited' : '-',
          li.classList.contains('deleted') ? 'deleted' : '-',
          [...li.querySelectorAll('button.reaction')]
            .map((b) => `${b.dataset.emoji} ${b.querySelector('.count').textContent} ${b.getAttribute('aria-pressed')}`).join(','),
        ].join('|'));
        """;

    /// <summary>
    /// A page opened after the fact reads the room's current state from history: the edit, the tombstone, the
    /// reactions (its own pressed), the reply's quote, roles, and the mentions waiting in another room. It runs on a
    /// server of its own, so its screenshot (artifacts/browser/chat-page.png, the picture in docs/chat-page.png) shows
    /// nothing of the other tests.
    /// </summary>
    [Fact]
    public async Task A_page_opened_later_shows_edits_deletions_reactions_replies_and_mentions_from_history()
    {
        await using var own = new ChatServer();
        await own.InitializeAsync();
        await using var alice = await own.ConnectAsync("alice");
        await using var bob = await own.ConnectAsync("bob");
        await using var carol = await own.ConnectAsync("carol");
        await using (var dave = await own.ConnectAsync("dave"))
        {
            await alice.OkAsync("join", ("room", "design"));
            await alice.OkAsync("settings", ("room", "design"), ("topic", "Landing page: sketches and feedback"));
            foreach (var member in new[] { bob, carol, dave })
            {
                await member.OkAsync("join", ("room", "design"));
            }
        }

        await alice.OkAsync("role", ("room", "design"), ("user", "bob"), ("role", "admin"));
        await alice.OkAsync("join", ("room", "lobby"));
        await bob.OkAsync("join", ("room", "lobby"));
        var sketches = Seq(await bob.OkAsync("send", ("room", "design"), ("text", "First sketches are up: https://example.com/sketches")));
        var heavy = Seq(await carol.OkAsync("send", ("room", "design"), ("text", "The header feels heavy. Could we try a lighter blue?")));
        await alice.OkAsync("react", ("room", "design"), ("seq", heavy), ("emoji", "👍"));
        await bob.OkAsync("react", ("room", "design"), ("seq", heavy), ("emoji", "👍"));
        var mine = Seq(await alice.OkAsync("send", ("room", "design"), ("text", "Good point, I'll try #2f6fde")));
        await alice.OkAsync("edit", ("room", "design"), ("seq", mine), ("text", "Good point, I'll try a lighter one tonight"));
        var oops = Seq(await carol.OkAsync("send", ("room", "design"), ("text", "(wrong window)")));
        await carol.OkAsync("delete", ("room", "design"), ("seq", oops));
        await bob.OkAsync("react", ("room", "design"), ("seq", sketches), ("emoji", "🎉"));
        await carol.OkAsync("react", ("room", "design"), ("seq", sketches), ("emoji", "🎉"));
        await carol.OkAsync("react", ("room", "design"), ("seq", sketches), ("emoji", "❤️"));
        await bob.OkAsync("send", ("room", "lobby"), ("text", "Anyone for lunch?"));
        await bob.OkAsync("send", ("room", "lobby"), ("text", "@alice the usual place?"), ("mentions", MentionsOfAlice));
        await carol.OkAsync("dm", ("to", "alice"), ("text", "Can you look at my draft later?"));

        using var page = Browser.Open(new Uri(own.BaseAddress, "/#design"));
        page.SignIn("alice");
        Assert.Equal("Good point, I'll try a lighter one tonight", page.WaitFor($"{Item(mine)} .text").Text);
        page.WaitFor($"{Item(mine)} .edited");
        page.WaitFor($"{Item(oops)}.deleted .tombstone");
        Assert.DoesNotContain("wrong window", page.Find("#messages").Text, StringComparison.Ordinal);
        Reaction(page, $"{Item(heavy)} button.reaction[data-emoji='👍']", count: 2, mine: true);
        Reaction(page, $"{Item(sketches)} button.reaction[data-emoji='🎉']", count: 2, mine: false);
        Assert.Equal("Landing page: sketches and feedback", page.Find("#room-topic").Text);
        page.WaitFor("#members li[data-user='alice'][data-role='owner']");
        page.WaitFor("#members li[data-user='bob'][data-role='admin'] button.manage");
        Assert.Equal(("@1", "2"), (page.TextOf("#my-rooms li[data-room='lobby'] .mentions"), page.TextOf("#my-rooms li[data-room='lobby'] .unread")));
        Assert.Equal("1", page.TextOf("#my-dms li .unread"));

        // Live from here on: a reply that mentions Alice, and her own reaction.
        var agreed = Seq(await bob.OkAsync("send", ("room", "design"), ("text", "Agreed. @alice can you post the new hex here?"), ("replyTo", heavy), ("mentions", MentionsOfAlice)));
        Assert.Equal("carol: The header feels heavy. Could we try a lighter blue?", page.WaitFor($"{Item(agreed)}.mentions-me .reply").Text);
        page.Click($"{Item(sketches)} button.reaction[data-emoji='🎉']");
        Reaction(page, $"{Item(sketches)} button.reaction[data-emoji='🎉']", count: 3, mine: true);
        page.Find("#composer").SendKeys("Sure, @bob");
        page.Driver.ExecuteScript("document.activeElement.blur()");
        page.Screenshot("chat-page");
    }

    private static long Seq(System.Text.Json.JsonElement ok) => ok.GetProperty("seq").GetInt64();

    private static void Reaction(Browser page, string css, int count, bool mine) =>
        page.Until(
            d => d.FindElements(By.CssSelector(css)).FirstOrDefault() is { } button
                && button.FindElement(By.CssSelector(".count")).Text == count.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && button.GetAttribute("aria-pressed") == (mine ? "true" : "false"),
            $"{css} to show {count} ({(mine ? "mine" : "not mine")})");
}
