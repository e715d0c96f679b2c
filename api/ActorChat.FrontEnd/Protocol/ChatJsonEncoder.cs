using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>
/// Escapes only what JSON requires: the quote, the backslash and control characters. Every other character goes
/// out as its UTF-8 bytes. The framework's encoders escape all non-ASCII text (and even the relaxed one escapes
/// emoji and joiners) as <c>\uXXXX</c>, six bytes a character: Chinese chat paid double bandwidth and double queue
/// bytes for it. Frames are JSON read by JSON parsers, never inlined into HTML or script, so HTML-sensitive
/// characters need no escaping either.
/// </summary>
internal sealed class ChatJsonEncoder : JavaScriptEncoder
{
    public static ChatJsonEncoder Instance { get; } = new();

    // Surrogates are searched for too, so that a lone one (not text) is replaced rather than written through.
    private static readonly SearchValues<char> Special = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)) + "\"\\" +
        string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    private static readonly SearchValues<byte> SpecialUtf8 = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private ChatJsonEncoder()
    {
    }

    /// <summary><c>\uXXXX</c> is the longest form this encoder writes for one character.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || !Rune.IsValid(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var offset = 0;
        while (true)
        {
            var found = span[offset..].IndexOfAny(Special);
            if (found < 0)
            {
                return -1;
            }

            var index = offset + found;
            if (!char.IsHighSurrogate(span[index]) || index + 1 >= span.Length || !char.IsLowSurrogate(span[index + 1]))
            {
                return index;
            }

            // A well-formed pair (an emoji, say) is written as it is.
            offset = index + 2;
        }
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var special = utf8Text.IndexOfAny(SpecialUtf8);
        var plain = special < 0 ? utf8Text : utf8Text[..special];
        if (Utf8.IsValid(plain))
        {
            return special;
        }

        // Invalid UTF-8 must be replaced: report where it starts.
        var index = 0;
        while (Rune.DecodeFromUtf8(plain[index..], out _, out var consumed) == OperationStatus.Done)
        {
            index += consumed;
        }

        return index;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };

        if (!escape.IsEmpty)
        {
            return Write(escape, output, out numberOfCharactersWritten);
        }

        if (unicodeScalar < 0x20)
        {
            return Write($"\\u{unicodeScalar:x4}", output, out numberOfCharactersWritten);
        }

        // Anything else that reaches here is not a Unicode scalar (a lone surrogate): the replacement character.
        var rune = Rune.IsValid(unicodeScalar) ? new Rune(unicodeScalar) : Rune.ReplacementChar;
        if (rune.Utf16SequenceLength > output.Length)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        numberOfCharactersWritten = rune.EncodeToUtf16(output);
        return true;
    }

    private static bool Write(ReadOnlySpan<char> escape, Span<char> output, out int written)
    {
        if (escape.TryCopyTo(output))
        {
            written = escape.Length;
            return true;
        }

        written = 0;
        return false;
    }
}
