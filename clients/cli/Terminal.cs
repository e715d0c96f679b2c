using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorChat.Cli;

/// <summary>Formats what the server sends for a terminal. User text never reaches the terminal raw.</summary>
internal static class Terminal
{
    /// <summary>
    /// Replaces control characters (escape sequences could move the cursor, retitle or rewrite the terminal) and
    /// indents continuation lines so a message cannot pass itself off as another.
    /// </summary>
    public static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n')
            {
                builder.Append("\n    ");
            }
            else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E' or '\u202D')
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Message(JsonElement message)
    {
        var room = message.GetProperty("room").GetString()!;
        var seq = message.GetProperty("seq").GetInt64();
        var ts = message.GetProperty("ts").GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var from = message.GetProperty("from").GetString()!;
        var text = message.GetProperty("text").GetString()!;
        return $"[{room} #{seq} {ts}] {from}: {Safe(text)}";
    }

    public static string? Event(JsonElement frame) => frame.GetProperty("type").GetString() switch
    {
        "presence" => $"* {frame.GetProperty("user").GetString()} {Presence(frame.GetProperty("status").GetString())} {frame.GetProperty("room").GetString()}",
        "typing" => $"* {frame.GetProperty("user").GetString()} is typing…",
        "invited" => $"* {frame.GetProperty("by").GetString()} invited you to {frame.GetProperty("room").GetString()}",
        _ => null,
    };

    private static string Presence(string? status) => status switch
    {
        "joined" => "joined",
        "left" => "left",
        "online" => "is online in",
        "offline" => "went offline in",
        _ => $"is {status} in",
    };
}
