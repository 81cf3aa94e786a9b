namespace Sllm.Generation;

/// <summary>
/// Packs a score and its token id into one 64-bit key whose ascending order is "highest score first, lowest id first on
/// a tie", so selection and sorting run on primitive keys with no comparer and a deterministic tie order.
/// </summary>
internal static class SortKey
{
    /// <summary>Builds the key of a non-NaN score.</summary>
    public static ulong Descending(float score, int token)
    {
        // IEEE-754 bits become an unsigned integer in ascending numeric order: flip all bits of negatives, set the sign
        // bit of non-negatives; the complement then orders descending.
        uint bits = BitConverter.SingleToUInt32Bits(score);
        uint ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ascending << 32) | (uint)token;
    }

    /// <summary>Returns the token id packed in a key.</summary>
    public static int Token(ulong key) => (int)(uint)key;
}
