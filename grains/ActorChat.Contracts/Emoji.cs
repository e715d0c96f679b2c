using System.Globalization;

namespace ActorChat.Contracts;

/// <summary>
/// What a reaction may be: one emoji, as one user-perceived character (a grapheme cluster) made only of emoji
/// pictographs and the marks that combine them (joiners, variation selectors, skin tones, tags, keycaps, flags).
/// Not free text: a reaction cannot carry a word.
/// </summary>
public static class Emoji
{
    /// <summary>Longest reaction in UTF-16 code units: a family or a flag with tags fits.</summary>
    public const int MaxLength = 32;

    public static bool IsValid(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji) || emoji.Length > MaxLength || new StringInfo(emoji).LengthInTextElements != 1)
        {
            return false;
        }

        var pictographs = 0;
        foreach (var rune in emoji.EnumerateRunes())
        {
            if (IsPictograph(rune.Value))
            {
                pictographs++;
            }
            else if (!IsCombining(rune.Value) && !IsKeycapBase(rune.Value))
            {
                return false;
            }
        }

        // A keycap (1️⃣) is a digit, # or * with U+20E3; anything else needs a pictograph.
        return pictographs > 0 || (emoji.Contains('\u20E3', StringComparison.Ordinal) && IsKeycapBase(emoji[0]));
    }

    private static bool IsPictograph(int c) =>
        c is >= 0x1F000 and <= 0x1FAFF // emoticons, symbols and pictographs, transport, supplemental, flags' regional indicators
        or >= 0x2600 and <= 0x27BF     // miscellaneous symbols, dingbats
        or >= 0x2300 and <= 0x23FF     // technical (⌚ ⏰ ...)
        or >= 0x2B00 and <= 0x2BFF     // arrows and shapes (⬆ ⭐ ...)
        or >= 0x2190 and <= 0x21FF     // arrows
        or >= 0x25A0 and <= 0x25FF     // geometric shapes
        or >= 0x2900 and <= 0x297F
        or 0x00A9 or 0x00AE or 0x203C or 0x2049 or 0x2122 or 0x2139 or 0x3030 or 0x303D or 0x3297 or 0x3299;

    private static bool IsCombining(int c) =>
        c is 0x200D                    // zero-width joiner
        or 0xFE0F or 0xFE0E            // variation selectors
        or 0x20E3                      // combining keycap
        or >= 0xE0020 and <= 0xE007F;  // tags (subdivision flags)

    private static bool IsKeycapBase(int c) => c is (>= '0' and <= '9') or '#' or '*';
}
