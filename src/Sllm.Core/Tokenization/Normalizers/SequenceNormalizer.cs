namespace Sllm.Tokenization.Normalizers;

/// <summary>Applies normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<TextNormalizer> normalizers) : TextNormalizer
{
    public override string Normalize(string text)
    {
        foreach (TextNormalizer normalizer in normalizers)
        {
            text = normalizer.Normalize(text);
        }

        return text;
    }
}
