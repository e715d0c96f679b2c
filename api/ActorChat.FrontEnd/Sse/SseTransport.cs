using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.FrontEnd.Connections;
using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Sse;

/// <summary>
/// Writes protocol frames as Server-Sent Events: the frame's <c>type</c> is the event name, the frame itself the
/// data, and a message's seq the event id, so a browser's <c>EventSource</c> resumes with <c>Last-Event-ID</c>.
/// </summary>
internal sealed class SseTransport(HttpContext context) : IFrameTransport
{
    /// <summary>A frame of no bytes: written as an SSE comment, to keep proxies and idle timeouts from closing the stream.</summary>
    public static readonly byte[] Heartbeat = [];

    public async ValueTask WriteAsync(byte[] frame)
    {
        var output = context.Response.BodyWriter;
        if (frame.Length == 0)
        {
            output.Write(": keep-alive\n\n"u8);
        }
        else
        {
            WriteEvent(output, frame);
        }

        await output.FlushAsync(context.RequestAborted);
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (status == WebSocketCloseStatus.NormalClosure || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // The same close codes as the socket, as a last event; the client reconnects and resumes (Last-Event-ID, or
        // a new ticket and ?since= for one that opened the stream with a ticket).
        var close = JsonSerializer.SerializeToUtf8Bytes(new CloseEvent("close", (int)status, reason), SseJson.Default.CloseEvent);
        var output = context.Response.BodyWriter;
        WriteEvent(output, close);
        await output.FlushAsync(cancellationToken);
    }

    public void Abort() => context.Abort();

    /// <summary>
    /// <c>event: type</c>, for a message <c>id: seq</c>, then the frame as the data line. The JSON writer escapes
    /// every line break, so one frame is always one data line.
    /// </summary>
    private static void WriteEvent(PipeWriter output, byte[] frame)
    {
        var (typeStart, typeLength, seq) = Describe(frame);
        var type = frame.AsSpan(typeStart, typeLength);
        output.Write("event: "u8);
        output.Write(type);
        if (seq is { } id && type.SequenceEqual("message"u8))
        {
            output.Write("\nid: "u8);
            Utf8Formatter.TryFormat(id, output.GetSpan(20), out var written);
            output.Advance(written);
        }

        output.Write("\ndata: "u8);
        output.Write(frame);
        output.Write("\n\n"u8);
    }

    /// <summary>
    /// Where the top-level <c>type</c> value of a frame this server built lies, and its <c>seq</c>. Both come first
    /// in every frame (type, room, seq), so this reads a few tokens rather than the whole frame and allocates
    /// nothing: it runs once per frame per stream.
    /// </summary>
    private static (int TypeStart, int TypeLength, long? Seq) Describe(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame);
        var (typeStart, typeLength) = (-1, 0);
        long? seq = null;
        while (reader.Read() && reader.CurrentDepth <= 1)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8) && reader.Read())
            {
                // Type names are plain ASCII, so the raw value is the name; it starts after the opening quote.
                (typeStart, typeLength) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                if (!reader.ValueSpan.SequenceEqual("message"u8) || seq is not null)
                {
                    break;
                }
            }
            else if (reader.ValueTextEquals("seq"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                seq = reader.GetInt64();
                if (typeStart >= 0)
                {
                    break;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return typeStart >= 0 ? (typeStart, typeLength, seq) : (0, 0, null);
    }
}

internal sealed record CloseEvent(string Type, int Code, string Reason);
