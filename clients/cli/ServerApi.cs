using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Cli;

/// <summary>The REST side of a server that the socket does not cover: the development login and the public room list.</summary>
internal sealed class ServerApi(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<SavedToken> LoginAsync(string user, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { user }, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return new SavedToken(body.GetProperty("user").GetString()!, body.GetProperty("token").GetString()!, body.GetProperty("expiresAt").GetDateTimeOffset());
    }

    public async Task<JsonElement> PublicRoomsAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/rooms?limit=500");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        try
        {
            body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        }
        catch (JsonException)
        {
        }

        if (response.IsSuccessStatusCode && body.ValueKind == JsonValueKind.Object)
        {
            return body;
        }

        var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) ? c.GetString() : null;
        var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() : null;
        throw (int)response.StatusCode switch
        {
            401 => CliException.Unauthorized(),
            404 when code is null => new CliException("not_found", "The server has no such endpoint here (is the development login off?)."),
            _ => new CliException(code ?? "http_" + (int)response.StatusCode, detail ?? $"The server answered {(int)response.StatusCode}."),
        };
    }
}
