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

            var value = idElement.GetString()!;
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

        return new ClientRequest(root, id, typeElement.GetString()!);
    }

    /// <summary>The <c>room</c> field if it is a string, for tagging; never throws.</summary>
    public string? TryRoom() =>
        _root.TryGetProperty("room", out var room) && room.ValueKind == JsonValueKind.String ? room.GetString() : null;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} is required.");

    public string? OptionalString(string name)
    {
        if (!_root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new ProtocolException(ChatErrorCode.BadRequest, $"{name} must be a string.");
    }

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
