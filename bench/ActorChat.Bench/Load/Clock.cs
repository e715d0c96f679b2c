using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ActorChat.Bench.Load;

/// <summary>One monotonic clock for the whole load process: a message carries its send time in its text.</summary>
internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static long MicrosecondsSince(long start) => (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;

    /// <summary>A text of exactly <paramref name="size"/> characters that starts with the send time.</summary>
    public static string Stamp(int size)
    {
        var stamp = $"t={Now.ToString(CultureInfo.InvariantCulture)}|";
        return stamp.Length >= size ? stamp : stamp + new string('x', size - stamp.Length);
    }

    /// <summary>The send time in a stamped text, or -1.</summary>
    public static long ReadStamp(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith("t="))
        {
            return -1;
        }

        var end = text.IndexOf('|');
        return end > 2 && long.TryParse(text[2..end], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : -1;
    }

    /// <summary>The send time inside a raw JSON frame's "text" value, without parsing the frame.</summary>
    public static long ReadStamp(ReadOnlySpan<byte> frame)
    {
        var marker = "\"text\":\"t="u8;
        var at = frame.IndexOf(marker);
        if (at < 0)
        {
            return -1;
        }

        var digits = frame[(at + marker.Length)..];
        var end = digits.IndexOf((byte)'|');
        return end > 0 && long.TryParse(Encoding.ASCII.GetString(digits[..end]), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : -1;
    }
}
