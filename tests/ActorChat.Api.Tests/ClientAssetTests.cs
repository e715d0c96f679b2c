using System.Net;
using System.Net.Http.Headers;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class ClientAssetTests(ChatServer server)
{
    [Fact]
    public async Task The_chat_page_is_served_at_the_root_with_a_strict_content_security_policy()
    {
        using var response = await server.Http.GetAsync("/");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_library_is_served_as_it_is_in_the_repository_and_revalidates_with_an_etag()
    {
        using var response = await server.Http.GetAsync("/actorchat.js");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var served = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "clients", "js", "actorchat.js")), served);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/actorchat.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        using var other = new HttpRequestMessage(HttpMethod.Get, "/actorchat.js");
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await server.Http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task Every_module_of_the_page_is_served_as_it_is_in_the_repository()
    {
        var modules = Directory.GetFiles(Path.Combine(Repository.Root, "clients", "web"), "*.js");
        Assert.Contains(modules, m => Path.GetFileName(m) == "app.js");
        foreach (var module in modules)
        {
            using var response = await server.Http.GetAsync($"/{Path.GetFileName(module)}");
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(module), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("/nothing.js")]
    [InlineData("/../appsettings.json")]
    [InlineData("/ActorChat.Api.dll")]
    public async Task Only_the_client_files_are_served(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
