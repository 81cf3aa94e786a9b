using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>A tokenizer.json normalizer: text in, normalized text out. Immutable and thread-safe.</summary>
internal abstract class TextNormalizer
{
    public abstract string Normalize(string text);

    /// <summary>Returns true when normalizing <paramref name="text"/> certainly leaves it as it is (false: unknown).</summary>
    public virtual bool LeavesUnchanged(ReadOnlySpan<char> text) => false;

    /// <summary>Normalizes and tells where each output character came from (used only when offsets are wanted).</summary>
    public virtual string Normalize(string text, out Alignment alignment)
    {
        string output = Normalize(text);
        alignment = Alignment.Generic(text, output, Normalize);
        return output;
    }
}
