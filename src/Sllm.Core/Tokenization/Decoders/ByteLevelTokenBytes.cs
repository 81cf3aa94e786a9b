using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.Decoders;

/// <summary>
/// The bytes every token of a byte-level vocabulary stands for, precomputed back to back so decoding copies spans
/// instead of mapping characters. Built once per tokenizer on first decode; immutable and thread-safe after.
/// </summary>
internal sealed class ByteLevelTokenBytes
{
    private readonly byte[] _bytes;
    private readonly int[] _starts;

    public ByteLevelTokenBytes(Vocabulary vocabulary)
    {
        int size = vocabulary.Size;
        _starts = new int[size + 1];
        int total = 0;
        for (int id = 0; id < size; id++)
        {
            total += vocabulary.GetToken(id)?.Length ?? 0;
        }

        _bytes = new byte[total];
        int n = 0;
        for (int id = 0; id < size; id++)
        {
            _starts[id] = n;
            if (vocabulary.GetToken(id) is { } token)
            {
                n += ByteLevelDecoder.AppendBytes(token, _bytes.AsSpan(n));
            }
        }

        _starts[size] = n;
    }

    /// <summary>Gets the number of ids covered.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>Returns the bytes of a token id below <see cref="Count"/>.</summary>
    public ReadOnlySpan<byte> this[int id] => _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);
}
