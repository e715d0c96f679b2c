using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChat.Client;

/// <summary>The REST calls around a socket: the development login and one-use tickets.</summary>
public static class ChatAuth
{
    /// <summary>Signs in with the server's development login (<c>POST /api/auth/token</c>; off in production).</summary>
    public static async Task<DevLogin> DevLoginAsync(HttpClient http, Uri server, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/auth/token"))
        {
            Content = JsonContent.Create(new UserBody(user), ChatJsonContext.Default.UserBody),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, ChatJsonContext.Default.DevLogin, cancellationToken);
    }

    /// <summary>
    /// A one-use ticket for <paramref name="token"/>'s user: it opens one socket (<c>/ws?ticket=</c>) or event stream
    /// within seconds. A 401 throws <see cref="ChatException"/> with code <c>unauthorized</c>.
    /// </summary>
    public static async Task<ChatTicket> TicketAsync(HttpClient http, Uri server, string token, CancellationToken cancellationToken = default) =>
        await TicketAtAsync(http, new Uri(server, "/api/auth/ticket"), token, cancellationToken);

    internal static async Task<ChatTicket> TicketAtAsync(HttpClient http, Uri address, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, ChatJsonContext.Default.ChatTicket, cancellationToken);
    }

    /// <summary>The body of a success, or a <see cref="ChatException"/> with the problem's <c>code</c> (<c>http_NNN</c> when it has none).</summary>
    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new ChatException(ChatErrorCodes.BadReply, "The server answered with an empty body.");
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new ChatException(ChatErrorCodes.Unauthorized, "The server refused the token (401).");
        }

        ProblemReply? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(ChatJsonContext.Default.ProblemReply, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not problem details (a proxy's error page, say): the status says enough.
        }

        var status = (int)response.StatusCode;
        throw new ChatException(
            problem?.Code ?? $"http_{status}",
            problem?.Detail ?? problem?.Title ?? $"The server answered {status}.");
    }
}

internal sealed record UserBody(string User);
