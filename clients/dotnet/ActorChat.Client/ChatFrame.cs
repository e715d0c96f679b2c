using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChat.Client;

/// <summary>
/// One frame as the server sent it: its UTF-8 JSON, valid only during the call that receives it (the bytes are a
/// pooled buffer that is reused afterwards), with its <c>type</c> and <c>id</c> read up front.
/// </summary>
public readonly ref struct ChatFrame
{
    internal ChatFrame(ReadOnlySpan<byte> utf8, string? type, string? id)
    {
        Utf8 = utf8;
        Type = type;
        Id = id;
    }

    public ReadOnlySpan<byte> Utf8 { get; }

    /// <summary>The frame's <c>type</c> (<c>message</c>, <c>ok</c>, ...), or null when it has none.</summary>
    public string? Type { get; }

    /// <summary>The <c>id</c> of a reply, or null.</summary>
    public string? Id { get; }

    /// <summary>A copy of the frame that outlives the call.</summary>
    public JsonElement ToJsonElement()
    {
        var reader = new Utf8JsonReader(Utf8);
        return JsonElement.ParseValue(ref reader);
    }

    public T Deserialize<T>(JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(Utf8, typeInfo)!;

    public override string ToString() => Encoding.UTF8.GetString(Utf8);

    /// <summary>
    /// Reads the top-level <c>type</c> and <c>id</c> without building a document. Known types come back as
    /// shared strings, so reading a frame allocates nothing until it is deserialized.
    /// </summary>
    internal static ChatFrame Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A frame must be a JSON object.");
        }

        string? type = null;
        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? FrameTypes.Intern(ref reader) : null;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ChatFrame(utf8, type, id);
    }
}
