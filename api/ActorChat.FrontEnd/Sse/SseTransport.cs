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
/// data, and a message's seq or a change's logSeq the event id, so a browser's <c>EventSource</c> resumes with <c>Last-Event-ID</c>.
/// </summary>
internal sealed class SseTransport(HttpContext context) : IFrameTransport
{
    /// <summary>A frame of no bytes: written as an SSE comment, to keep proxies and idle timeouts from closing the stream.</summary>
    public static readonly byte[] Heartbeat = [];

    // Written and not yet flushed: frames that follow one another go out in one flush, up to this many bytes.
    private long _unflushed;

    public async ValueTask WriteAsync(byte[] frame, bool more)
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

        _unflushed += frame.Length;
        if (!more || _unflushed > IFrameTransport.MaxCoalescedBytes)
        {
            _unflushed = 0;
            await output.FlushAsync(context.RequestAborted);
        }
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
    /// <c>event: type</c>, for a message or a change <c>id:</c> its place in the room's log (<c>seq</c>, <c>logSeq</c>),
    /// then the frame as the data line. The JSON writer escapes every line break, so one frame is always one data line.
    /// </summary>
    private static void WriteEvent(PipeWriter output, byte[] frame)
    {
        var (typeStart, typeLength, position) = Describe(frame);
        output.Write("event: "u8);
        output.Write(frame.AsSpan(typeStart, typeLength));
        if (position is { } id)
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
    /// Where the top-level <c>type</c> value of a frame this server built lies, and the frame's log position: a
    /// message's <c>seq</c> (after type and room) or a change's <c>logSeq</c> (right after type). Reads a few tokens
    /// rather than the whole frame and allocates nothing: it runs once per frame per stream.
    /// </summary>
    private static (int TypeStart, int TypeLength, long? Position) Describe(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame);
        var (typeStart, typeLength) = (-1, 0);
        var wanted = ReadOnlySpan<byte>.Empty;
        while (reader.Read() && reader.CurrentDepth <= 1)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (typeStart < 0 && reader.ValueTextEquals("type"u8) && reader.Read())
            {
                // Type names are plain ASCII, so the raw value is the name; it starts after the opening quote.
                (typeStart, typeLength) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                wanted = PositionField(reader.ValueSpan);
                if (wanted.IsEmpty)
                {
                    break;
                }
            }
            else if (!wanted.IsEmpty && reader.ValueTextEquals(wanted) && reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                return (typeStart, typeLength, reader.GetInt64());
            }
            else
            {
                reader.Skip();
            }
        }

        return typeStart >= 0 ? (typeStart, typeLength, null) : (0, 0, null);
    }

    private static ReadOnlySpan<byte> PositionField(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("message"u8) ? "seq"u8
        : type.SequenceEqual("edited"u8) || type.SequenceEqual("deleted"u8) || type.SequenceEqual("reaction"u8)
            || type.SequenceEqual("moderation"u8) || type.SequenceEqual("settings"u8) ? "logSeq"u8
        : [];
}

internal sealed record CloseEvent(string Type, int Code, string Reason);
