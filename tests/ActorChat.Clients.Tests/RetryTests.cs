using OpenQA.Selenium;

namespace ActorChat.Clients.Tests;

/// <summary>A server whose request budget a fast typist overruns: ten at once, then two a second.</summary>
public sealed class TightBudgetServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:RequestsPerSecond"] = "2",
    ["ActorChat:Sockets:RequestBurst"] = "10",
});

public sealed class RetryTests(TightBudgetServer server) : IClassFixture<TightBudgetServer>
{
    [Fact]
    public async Task A_message_the_server_refused_for_now_is_sent_once_with_retry()
    {
        var room = $"retry-{Guid.NewGuid():N}"[..20];
        var user = $"typist{Guid.NewGuid():N}"[..12];
        using var page = Browser.Open(server.BaseAddress);
        page.SignIn(user);
        page.Type("#room-input", room);
        page.Click("#join-button");
        page.WaitFor($"#my-rooms li[data-room='{room}'][aria-current='true']");

        // Sixteen messages at typing speed spend the budget (the page has used about six requests, and it refills
        // two a second however slowly the machine types); those refused show why and offer a retry.
        var texts = Enumerable.Range(1, 16).Select(i => $"burst message {i}").ToList();
        foreach (var text in texts)
        {
            page.Type("#composer", text + Keys.Enter);
        }

        page.WaitFor("#messages li.failed button.retry");
        Assert.StartsWith("not sent: Too many requests", page.Find("#messages li.failed time").Text, StringComparison.Ordinal);

        // Retry each until none is left. The budget refills two a second and the page's read pointer takes some of
        // it, so some need more than one go, and all of them take a while.
        page.Until(d =>
        {
            var retry = d.FindElements(By.CssSelector("#messages li.failed button.retry")).FirstOrDefault();
            retry?.Click();
            return retry is null && d.FindElements(By.CssSelector("#messages li.pending, #messages li.failed")).Count == 0;
        }, "every refused message to be sent on retry", TimeSpan.FromSeconds(90));

        // The room holds each text exactly once, and the page shows them all.
        await using var reader = await server.ConnectAsync($"reader{Guid.NewGuid():N}"[..12]);
        await reader.OkAsync("join", ("room", room));
        var history = await reader.OkAsync("history", ("room", room), ("limit", 50));
        var stored = history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")).ToList();
        Assert.Equal(texts.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        Assert.Equal(texts.Count, page.ShownSeqs().Count);
    }
}
