using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorChat.FrontEnd.Sockets;
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

    private static readonly byte[] HeartbeatBytes = ": keep-alive\n\n"u8.ToArray();

    public async ValueTask WriteAsync(byte[] frame)
    {
        var output = context.Response.BodyWriter;
        if (frame.Length == 0)
        {
            output.Write(HeartbeatBytes);
        }
        else
        {
            var (type, seq) = Describe(frame);
            WriteField(output, "event", type);
            if (type == "message" && seq is { } id)
            {
                WriteField(output, "id", id.ToString(CultureInfo.InvariantCulture));
            }

            // The JSON writer escapes every line break, so one frame is always one data line.
            output.Write("data: "u8);
            output.Write(frame);
            output.Write("\n\n"u8);
        }

        await output.FlushAsync(context.RequestAborted);
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (status == WebSocketCloseStatus.NormalClosure || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // The same close codes as the socket, as a last event; the client reconnects with Last-Event-ID.
        var close = JsonSerializer.SerializeToUtf8Bytes(new CloseEvent("close", (int)status, reason), SseJson.Default.CloseEvent);
        var output = context.Response.BodyWriter;
        WriteField(output, "event", "close");
        output.Write("data: "u8);
        output.Write(close);
        output.Write("\n\n"u8);
        await output.FlushAsync(cancellationToken);
    }

    public void Abort() => context.Abort();

    private static void WriteField(IBufferWriter<byte> output, string name, string value)
    {
        output.Write(Encoding.UTF8.GetBytes(name));
        output.Write(": "u8);
        output.Write(Encoding.UTF8.GetBytes(value));
        output.Write("\n"u8);
    }

    /// <summary>Reads the top-level <c>type</c> and <c>seq</c> of a frame this server built.</summary>
    private static (string Type, long? Seq) Describe(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame);
        string type = "message";
        long? seq = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8) && reader.Read())
            {
                type = reader.GetString() ?? type;
            }
            else if (reader.ValueTextEquals("seq"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                seq = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }

        return (type, seq);
    }
}

internal sealed record CloseEvent(string Type, int Code, string Reason);
