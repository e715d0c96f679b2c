using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Endpoints;

internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken)
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Dev login: a signed token for the named user.")
            .Produces<TokenResponse>()
            .ProducesChatProblems()
            .WithTags("auth");
        app.MapPost("/api/auth/ticket", IssueTicket)
            .RequireAuthorization()
            .RequireRateLimiting(RestLimits.PerUser)
            .WithName("IssueTicket")
            .WithSummary("A one-use ticket, valid for seconds, to open a socket or an event stream with ?ticket= instead of the token.")
            .Produces<TicketResponse>()
            .ProducesChatProblems()
            .WithTags("auth");
        return app;
    }

    private static Task<IResult> IssueToken(TokenRequest? request, TokenIssuer issuer, IOptions<AuthOptions> options) =>
        ChatProblems.Guard(() =>
        {
            if (options.Value.DevLogin != true)
            {
                return Task.FromResult(Results.NotFound());
            }

            var user = RequestRules.User(request?.User, "user");
            var (token, expiresAt) = issuer.Issue(user);
            return Task.FromResult(Results.Ok(new TokenResponse(token, user, expiresAt)));
        });

    private static Task<IResult> IssueTicket(HttpContext context, TicketIssuer issuer) =>
        ChatProblems.Guard(async () =>
        {
            var (ticket, expiresAt) = await issuer.IssueAsync(context.ChatUser(), context.TokenIssuedAt(), context.TokenExpiry());

            // A credential, if a short-lived one: no cache keeps it.
            context.Response.Headers.CacheControl = "no-store";
            return Results.Ok(new TicketResponse(ticket, expiresAt));
        });

    internal sealed record TokenRequest(string? User);

    internal sealed record TicketResponse(string Ticket, DateTimeOffset ExpiresAt);

    internal sealed record TokenResponse(string Token, string User, DateTimeOffset ExpiresAt);
}
