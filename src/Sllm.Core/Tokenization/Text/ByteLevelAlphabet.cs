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
