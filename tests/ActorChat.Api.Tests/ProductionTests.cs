using System.Net;
using System.Net.Http.Json;

namespace ActorChat.Api.Tests;

/// <summary>What a deployed server (the Production environment, nothing else set) keeps shut.</summary>
[Collection(ProductionCollection.Name)]
public sealed class ProductionTests(ProductionServer server)
{
    [Fact]
    public async Task Outside_development_the_dev_login_is_off_unless_set()
    {
        using var response = await server.Http.PostAsJsonAsync("/api/auth/token", new { user = "mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/Trace")]
    [InlineData("/dashboard/ClusterStats")]
    public async Task Outside_development_a_dashboard_without_a_key_is_not_found(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_api_reference_page_is_not_served_but_the_document_is()
    {
        using var page = await server.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var document = await server.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionServer>
{
    public const string Name = "production";
}
