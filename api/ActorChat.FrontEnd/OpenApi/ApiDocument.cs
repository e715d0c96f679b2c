using ActorChat.FrontEnd.ServerApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ActorChat.FrontEnd.OpenApi;

/// <summary>
/// The REST API described as OpenAPI at <c>/openapi/v1.json</c>: every route under <c>/api</c>, with its schemas,
/// problem details and the scheme it signs in with (a user's bearer token, or a backend's API key). The interactive
/// reference (<c>/scalar</c>) is for developers, so only in Development.
/// </summary>
internal static class ApiDocument
{
    private const string Bearer = "Bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // Only the REST API: the socket, health and the page's files are not REST resources.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ActorChat REST API",
                    Version = "v1",
                    Description = "Users' routes take a bearer token; /api/server/ routes take an API key. Errors are RFC 7807 problem details whose code is one of docs/protocol.md's. The real-time protocol (WebSocket /ws) is in docs/protocol.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [Bearer] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "A user's token: the dev login's (Development) or the identity provider's.",
                    },
                    [ApiKeyHandler.SchemeName] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "Authorization",
                        Description = "A backend's key, sent as \"Authorization: ApiKey <secret>\" (deploy/api-key.sh makes one).",
                    },
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var path = context.Description.RelativePath ?? string.Empty;
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
                if (!anonymous)
                {
                    var scheme = path.StartsWith("api/server/", StringComparison.Ordinal) ? ApiKeyHandler.SchemeName : Bearer;
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }
}
