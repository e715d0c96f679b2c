using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ActorChat.Api.Tests;

/// <summary>The OpenAPI document describes every REST route the server maps, and is a valid document.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenApiTests(ChatServer server)
{
    [Fact]
    public async Task Every_mapped_rest_route_is_in_the_document_with_its_sign_in_scheme_and_the_document_is_valid()
    {
        using var response = await server.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var read = await OpenApiDocument.LoadAsync(stream, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: Normalize(e.RoutePattern.RawText!))))
            .ToList();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");
        var missing = routes.Where(r => !document.Paths.TryGetValue(r.Path, out var item) || item.Operations?.ContainsKey(HttpMethod.Parse(r.Method)) != true).ToList();
        Assert.True(missing.Count == 0, "Not in the document: " + string.Join(", ", missing));

        // Users' routes ask for the bearer token, the server API for a key; both schemes are declared.
        Assert.Equal(["ApiKey", "Bearer"], document.Components!.SecuritySchemes!.Keys.Order(StringComparer.Ordinal));
        var publish = document.Paths["/api/server/rooms/{room}/messages"].Operations![HttpMethod.Post];
        Assert.Equal("ApiKey", Assert.Single(Assert.Single(publish.Security!).Keys).Reference.Id);
        var post = document.Paths["/api/rooms/{room}/messages"].Operations![HttpMethod.Post];
        Assert.Equal("Bearer", Assert.Single(Assert.Single(post.Security!).Keys).Reference.Id);
        Assert.NotNull(post.RequestBody);
        Assert.Contains("201", post.Responses!.Keys);
        Assert.Equal("application/problem+json", Assert.Single(post.Responses["403"].Content!.Keys));
        Assert.Null(document.Paths["/api/auth/token"].Operations![HttpMethod.Post].Security);
    }

    [Fact]
    public async Task In_development_the_interactive_reference_reads_the_document()
    {
        using var response = await server.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The document writes parameters without constraints: <c>{seq:long}</c> is <c>{seq}</c>.</summary>
    private static string Normalize(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.TrimEnd('/'), @"\{([A-Za-z]+)(:[^}]*)?\}", "{$1}") is { Length: > 0 } path ? path : "/";
}
