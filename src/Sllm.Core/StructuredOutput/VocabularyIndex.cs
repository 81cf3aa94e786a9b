using System.Runtime.CompilerServices;
using Sllm.Tokenization;

namespace Sllm.StructuredOutput;

/// <summary>
/// What constrained decoding precomputes once per tokenizer: each id's bytes, a trie over all of them, and for string
/// bodies the "plain" tokens (no quote, backslash or control byte, complete UTF-8) that any string body accepts whole.
/// </summary>
/// <remarks>Built on first use and cached per tokenizer instance for its lifetime; immutable and thread-safe.</remarks>
internal sealed class VocabularyIndex
{
    /// <summary>Plain tokens up to this many characters get a precomputed mask per length.</summary>
    public const int ShortPlain = 16;

    private static readonly ConditionalWeakTable<HuggingFaceTokenizer, VocabularyIndex> Cache = [];

    private VocabularyIndex(HuggingFaceTokenizer tokenizer)
    {
        Size = tokenizer.VocabularySize;
        Words = (Size + 63) / 64;
        Bytes = new byte[]?[Size];
        var all = new List<int>(Size);
        var other = new List<int>();
        PlainUpTo = new ulong[ShortPlain + 1][];
        for (int k = 0; k <= ShortPlain; k++)
        {
            PlainUpTo[k] = new ulong[Words];
        }

        var longPlain = new List<(int, int)>();
        for (int id = 0; id < Size; id++)
        {
            byte[]? bytes = tokenizer.ConstraintBytes(id);
            if (bytes is null)
            {
                continue;
            }

            Bytes[id] = bytes;
            MaxTokenLength = Math.Max(MaxTokenLength, bytes.Length);
            all.Add(id);
            int chars = PlainCharacters(bytes);
            if (chars < 0)
            {
                other.Add(id);
            }
            else if (chars <= ShortPlain)
            {
                for (int k = chars; k <= ShortPlain; k++)
                {
                    PlainUpTo[k][id >> 6] |= 1UL << id;
                }
            }
            else
            {
                longPlain.Add((id, chars));
                MaxPlainCharacters = Math.Max(MaxPlainCharacters, chars);
            }
        }

        LongPlain = [.. longPlain];
        All = TokenTrie.Build(Bytes, all);
        NotPlain = TokenTrie.Build(Bytes, other);
    }

    /// <summary>Gets the number of ids (the tokenizer's vocabulary size).</summary>
    public int Size { get; }

    /// <summary>Gets the number of 64-bit words of a mask.</summary>
    public int Words { get; }

    /// <summary>Gets each id's bytes, or null for ids a constraint never offers (special tokens, holes).</summary>
    public byte[]?[] Bytes { get; }

    public int MaxTokenLength { get; }

    /// <summary>Gets the trie of every offered id.</summary>
    public TokenTrie All { get; }

    /// <summary>Gets the trie of the offered ids that are not plain.</summary>
    public TokenTrie NotPlain { get; }

    /// <summary>Gets, per character count k up to <see cref="ShortPlain"/>, the plain ids of at most k characters.</summary>
    public ulong[][] PlainUpTo { get; }

    /// <summary>Gets the plain ids longer than <see cref="ShortPlain"/> characters, with their lengths.</summary>
    public (int Id, int Characters)[] LongPlain { get; }

    public int MaxPlainCharacters { get; } = ShortPlain;

    /// <summary>Returns the index of a tokenizer, building it on first use.</summary>
    public static VocabularyIndex For(HuggingFaceTokenizer tokenizer) => Cache.GetValue(tokenizer, static t => new VocabularyIndex(t));

    /// <summary>The code points of a plain token, or -1 when it holds a quote, backslash, control byte or broken UTF-8.</summary>
    private static int PlainCharacters(byte[] bytes)
    {
        int chars = 0;
        foreach (byte b in bytes)
        {
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\')
            {
                return -1;
            }

            chars += (b & 0xC0) == 0x80 ? 0 : 1;
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? chars : -1;
    }
}
