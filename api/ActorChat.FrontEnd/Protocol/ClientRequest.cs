using System.Text.Json;
using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>One parsed request frame with typed, validated field access.</summary>
internal sealed class ClientRequest
{
    private readonly JsonElement _root;

    private ClientRequest(JsonElement root, string? id, string type)
    {
        _root = root;
        Id = id;
        Type = type;
    }

    public string? Id { get; }

    public string Type { get; }

    /// <summary>
    /// Parses a text frame. On failure, <paramref name="id"/> still carries the request id when one could be
    /// read, so the error can be matched by the client.
    /// </summary>
    public static ClientRequest Parse(JsonDocument document, int maxIdLength, out string? id)
    {
        id = null;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "A request must be a JSON object.");
        }

        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (idElement.ValueKind != JsonValueKind.String)
            {
                throw new ProtocolException(ChatErrorCode.BadRequest, "id must be a string.");
            }

            var value = Text(idElement, "id");
            if (value.Length > maxIdLength)
            {
                throw new ProtocolException(ChatErrorCode.BadRequest, $"id must be at most {maxIdLength} characters.");
            }

            id = value;
        }

        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "type is required and must be a string.");
        }

        return new ClientRequest(root, id, Text(typeElement, "type"));
    }

    /// <summary>
    /// The top-level <c>id</c> of a frame that is refused unread (rate limited), so the client can match the
    /// refusal; null when the frame is not JSON enough to say. Reads tokens only, never builds a document.
    /// </summary>
    public static string? PeekId(ReadOnlySpan<byte> frame, int maxIdLength)
    {
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= maxIdLength * 6
                        && reader.GetString() is { } id && id.Length <= maxIdLength ? id : null;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }

        return null;
    }

    /// <summary>The <c>room</c> field if it is a string, for tagging; never throws.</summary>
    public string? TryRoom() =>
        _root.TryGetProperty("room", out var room) && room.ValueKind == JsonValueKind.String && TryText(room, out var text) ? text : null;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} is required.");

    public string? OptionalString(string name)
    {
        if (!_root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? Text(element, name)
            : throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be a string.");
    }

    /// <summary>
    /// A JSON string as .NET text. JSON lets a string escape half a surrogate pair (<c>"\ud800"</c>), which is
    /// no text at all: refused as bad input here, before it can fail deeper down as a server error.
    /// </summary>
    private static string Text(JsonElement element, string name) =>
        TryText(element, out var text)
            ? text
            : throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} is not valid Unicode text (an unpaired surrogate).");

    private static bool TryText(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    /// <summary>An array of strings, each checked by <paramref name="rule"/>; at most <paramref name="max"/> of them.</summary>
    public IReadOnlyList<string>? OptionalStrings(string name, int max, Func<string?, string> rule)
    {
        if (!_root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be an array of strings.");
        }

        if (element.GetArrayLength() > max)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} may hold at most {max} items.");
        }

        var values = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            values.Add(rule(item.ValueKind == JsonValueKind.String ? Text(item, name) : throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be an array of strings.")));
        }

        return values;
    }

    /// <summary>An ISO 8601 time with its offset (<c>2026-12-01T09:00:00Z</c>).</summary>
    public DateTimeOffset? OptionalTime(string name) =>
        OptionalString(name) is { } text ? RequestRules.Time(text, name) : null;

    public bool OptionalBool(string name, bool defaultValue = false)
    {
        if (!_root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be true or false."),
        };
    }

    public long RequiredLong(string name, long min, long max) =>
        OptionalLong(name, min, max) ?? throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} is required.");

    public long? OptionalLong(string name, long min, long max)
    {
        if (!_root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be an integer.");
        }

        return value < min || value > max
            ? throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be between {min} and {max}.")
            : value;
    }
}
