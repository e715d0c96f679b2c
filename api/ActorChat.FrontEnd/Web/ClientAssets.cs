using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActorChat.FrontEnd.Web;

/// <summary>
/// Serves the browser page (clients/web) and the client library (clients/js), compiled into this assembly so a
/// published front end needs no extra files and the page works with no network but this server's.
/// </summary>
internal static class ClientAssets
{
    private const string ResourcePrefix = "ActorChat.Web/";
    private const string LibraryFile = "actorchat.js";

    // The page loads nothing but its own files and talks only to this server (same-origin fetch and WebSocket).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static IEndpointRouteBuilder MapClientAssets(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<WebClientOptions>>().Value.Enabled)
        {
            return app;
        }

        var assets = Load();
        app.MapGet("/", (HttpContext context) => Serve(context, assets["index.html"])).ExcludeFromDescription();
        app.MapGet("/{file:regex(^[a-z0-9-]+\\.(html|js|css|svg)\\z)}", (string file, HttpContext context) =>
        {
            if (!assets.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }

            // Other sites' pages may load the client library as a module (which needs CORS); it holds no secrets.
            if (file == LibraryFile)
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
            }

            return Serve(context, asset);
        }).ExcludeFromDescription();
        return app;
    }

    private static Dictionary<string, Asset> Load()
    {
        var assembly = typeof(ClientAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = name[ResourcePrefix.Length..];
            assets[file] = new Asset(Read(assembly, name), ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"));
        }

        return assets;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static IResult Serve(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // Revalidated on every load, so a new deployment is picked up at once; unchanged files cost a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag.ToString();
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Compare(asset.ETag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private sealed class Asset(byte[] content, string contentType)
    {
        public byte[] Content { get; } = content;

        public string ContentType { get; } = contentType;

        public EntityTagHeaderValue ETag { get; } = new($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
    }
}
