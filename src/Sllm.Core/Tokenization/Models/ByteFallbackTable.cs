using System.Text;

namespace Sllm.Tokenization.Models;

/// <summary>The <c>&lt;0xNN&gt;</c> byte tokens a SentencePiece-style vocabulary falls back to for unknown characters.</summary>
internal sealed class ByteFallbackTable
{
    private readonly int[] _byteIds = new int[256];

    public ByteFallbackTable(Vocabulary vocabulary)
    {
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = vocabulary.TryGetId($"<0x{b:X2}>", out int id) ? id : -1;
        }
    }

    /// <summary>
    /// Adds the byte tokens of an unknown piece (usually one character); false, adding nothing, when the vocabulary lacks
    /// one of its bytes, so the caller emits the unknown token instead.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<char> piece, EncodeBuffer output)
    {
        int length = Encoding.UTF8.GetByteCount(piece);
        Span<byte> bytes = length <= 64 ? stackalloc byte[64] : new byte[length];
        int written = Encoding.UTF8.GetBytes(piece, bytes);
        for (int b = 0; b < written; b++)
        {
            if (_byteIds[bytes[b]] < 0)
            {
                return false;
            }
        }

        for (int b = 0; b < written; b++)
        {
            output.Add(_byteIds[bytes[b]]);
        }

        return true;
    }
}
