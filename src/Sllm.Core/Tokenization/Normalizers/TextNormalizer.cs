namespace Sllm.Tokenization.Normalizers;

/// <summary>A tokenizer.json normalizer: text in, normalized text out. Immutable and thread-safe.</summary>
internal abstract class TextNormalizer
{
    public abstract string Normalize(string text);
}
