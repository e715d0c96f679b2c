using System.Text;
using ActorChat.Contracts;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// Pages of messages bounded in bytes as well as in count. Two hundred messages of 4,000 Chinese characters are
/// 2.4 MB in one frame: held whole in a reader's queue, ahead of everything else that reader is sent. A page stops
/// before the message that would take it past <see cref="ChatLimits.MaxHistoryPageBytes"/> and says there is more;
/// it always holds at least one message, so paging never stalls.
/// </summary>
internal static class MessagePages
{
    // What a message costs in a frame besides its text: field names, room, seq, sender, time, ids, punctuation.
    private const int FieldAllowance = 256;

    /// <summary>
    /// The newest <paramref name="limit"/> of <paramref name="ascending"/> (which may hold one more, to tell whether
    /// there is more) that fit <paramref name="maxBytes"/>: a page read backwards keeps its newest end.
    /// </summary>
    public static HistoryPage Newest(List<ChatMessage> ascending, int limit, int maxBytes)
    {
        var hasMore = ascending.Count > limit;
        var first = hasMore ? ascending.Count - limit : 0;
        var bytes = 0L;
        for (var i = ascending.Count - 1; i >= first; i--)
        {
            bytes += EncodedBytes(ascending[i]);
            if (bytes > maxBytes && i < ascending.Count - 1)
            {
                first = i + 1;
                hasMore = true;
                break;
            }
        }

        return new HistoryPage(first == 0 ? ascending : ascending.GetRange(first, ascending.Count - first), hasMore);
    }

    /// <summary>The oldest of <paramref name="ascending"/> that fit <paramref name="maxBytes"/>: a page read forwards keeps its oldest end.</summary>
    public static HistoryPage Oldest(IReadOnlyList<ChatMessage> ascending, bool hasMore, int maxBytes)
    {
        var bytes = 0L;
        for (var i = 0; i < ascending.Count; i++)
        {
            bytes += EncodedBytes(ascending[i]);
            if (bytes > maxBytes && i > 0)
            {
                return new HistoryPage([.. ascending.Take(i)], HasMore: true);
            }
        }

        return new HistoryPage(ascending, hasMore);
    }

    /// <summary>
    /// About what the message takes in a frame: its text as JSON writes it (UTF-8, a control character as a six-byte
    /// escape, a quote or backslash as two), its mentions and reactions, and an allowance for the other fields.
    /// </summary>
    internal static long EncodedBytes(ChatMessage message)
    {
        long bytes = Encoding.UTF8.GetByteCount(message.Text) + FieldAllowance;
        foreach (var c in message.Text)
        {
            if (c < ' ')
            {
                bytes += 5;
            }
            else if (c is '"' or '\\')
            {
                bytes++;
            }
        }

        foreach (var mention in message.Mentions ?? [])
        {
            bytes += mention.Length + 3;
        }

        foreach (var reaction in message.Reactions ?? [])
        {
            bytes += reaction.Emoji.Length * 3 + 40;
        }

        return bytes;
    }
}
