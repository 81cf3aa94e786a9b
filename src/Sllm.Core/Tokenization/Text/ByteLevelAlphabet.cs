namespace Sllm.Tokenization.Text;

/// <summary>The GPT-2 byte ↔ printable-character table used by byte-level BPE.</summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly short[] CharToByteTable = BuildCharToByte();

    /// <summary>Gets the character standing for each byte value.</summary>
    public static ReadOnlySpan<char> ByteToChar => ByteToCharTable;

    /// <summary>Returns the byte a character stands for, or -1 when it is not in the alphabet.</summary>
    public static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    /// <summary>
    /// Writes the byte-level form of <paramref name="text"/> (its UTF-8 bytes, lone surrogates as U+FFFD, each mapped
    /// to its character) to <paramref name="destination"/>, which holds at least three characters per input character.
    /// </summary>
    /// <returns>The number of characters written.</returns>
    public static int Map(ReadOnlySpan<char> text, Span<char> destination)
    {
        char[] table = ByteToCharTable;
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                destination[n++] = table[c];
            }
            else if (c < 0x800)
            {
                destination[n++] = table[0xC0 | (c >> 6)];
                destination[n++] = table[0x80 | (c & 0x3F)];
            }
            else if (c is >= 0xD800 and <= 0xDFFF)
            {
                if (c <= 0xDBFF && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    int cp = char.ConvertToUtf32((char)c, text[++i]);
                    destination[n++] = table[0xF0 | (cp >> 18)];
                    destination[n++] = table[0x80 | ((cp >> 12) & 0x3F)];
                    destination[n++] = table[0x80 | ((cp >> 6) & 0x3F)];
                    destination[n++] = table[0x80 | (cp & 0x3F)];
                }
                else
                {
                    destination[n++] = table[0xEF];
                    destination[n++] = table[0xBF];
                    destination[n++] = table[0xBD];
                }
            }
            else
            {
                destination[n++] = table[0xE0 | (c >> 12)];
                destination[n++] = table[0x80 | ((c >> 6) & 0x3F)];
                destination[n++] = table[0x80 | (c & 0x3F)];
            }
        }

        return n;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + n++);
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[324];
        map.AsSpan().Fill(-1);
        for (int b = 0; b < 256; b++)
        {
            map[ByteToCharTable[b]] = (short)b;
        }

        return map;
    }
}
