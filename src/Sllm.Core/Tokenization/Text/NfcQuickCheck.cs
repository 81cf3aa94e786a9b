using System.Globalization;
using System.Text;

namespace Sllm.Tokenization.Text;

/// <summary>
/// A fast "is this already NFC?" test for the common case: a text whose every character is NFC on its own, is no
/// combining mark and cannot compose with the character before it (Hangul medial and final jamo) is NFC as a whole.
/// The per-character verdicts are learnt on first sight (one ICU call per distinct character) and cached.
/// </summary>
/// <remarks>Thread-safe: cache entries are single bytes written idempotently.</remarks>
internal static class NfcQuickCheck
{
    private const byte Unknown = 0;
    private const byte Safe = 1;
    private const byte Unsafe = 2;

    private static readonly byte[] States = new byte[65536];

    /// <summary>Returns true when <paramref name="text"/> is certainly NFC; false means "ask ICU".</summary>
    public static bool IsCertainlyNfc(ReadOnlySpan<char> text)
    {
        int first = text.IndexOfAnyInRange('\u0300', '\uffff');
        if (first < 0)
        {
            return true;
        }

        byte[] states = States;
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (c < '\u0300')
            {
                continue;
            }

            byte state = states[c];
            if (state == Unknown)
            {
                state = Classify(c);
                states[c] = state;
            }

            if (state != Safe)
            {
                return false;
            }
        }

        return true;
    }

    private static byte Classify(char c)
    {
        if (char.IsSurrogate(c) || c is (>= '\u1160' and <= '\u11ff') or (>= '\ud7b0' and <= '\ud7ff'))
        {
            return Unsafe;
        }

        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.OtherNotAssigned)
        {
            return Unsafe;
        }

        return c.ToString().IsNormalized(NormalizationForm.FormC) ? Safe : Unsafe;
    }
}
