using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ActorChat.Testing;

/// <summary>One event of a <c>text/event-stream</c>, as a browser's EventSource would see it.</summary>
public sealed record SseEvent(string Event, string? Id, JsonElement Data);

/// <summary>A Server-Sent Events reader over a real HTTP response, parsing the wire format line by line.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public static async Task<(HttpResponseMessage Response, SseStream? Stream)> OpenAsync(HttpClient http, string path, string? token, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            return (response, null);
        }

        return (response, new SseStream(response, await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<SseEvent?> NextAsync()
    {
        using var timeout = new CancellationTokenSource(ChatClient.Deadline);
        string name = "message";
        string? id = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length == 0)
                {
                    continue;
                }

                return new SseEvent(name, id, JsonDocument.Parse(data.ToString()).RootElement.Clone());
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
            }
        }

        return null;
    }

    /// <summary>The next comment line (the server's keep-alive), skipping events.</summary>
    public async Task<string> NextCommentAsync()
    {
        using var timeout = new CancellationTokenSource(ChatClient.Deadline);
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(':'))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The stream ended before a comment.");
    }

    /// <summary>The next event named <paramref name="name"/>, skipping others.</summary>
    public async Task<SseEvent> NextAsync(string name)
    {
        while (true)
        {
            var next = await NextAsync() ?? throw new InvalidOperationException($"The stream ended before a '{name}' event.");
            if (next.Event == name)
            {
                return next;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
