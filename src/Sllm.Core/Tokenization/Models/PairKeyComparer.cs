namespace Sllm.Tokenization.Models;

/// <summary>
/// Hashes packed (left, right) id pairs. <see cref="long.GetHashCode"/> XORs the halves, which maps most merge pairs of
/// a 100k+ vocabulary onto a few buckets; a multiplicative mix spreads them.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<long>
{
    public static PairKeyComparer Instance { get; } = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long obj) => (int)((ulong)(obj * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
}
