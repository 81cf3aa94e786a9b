using Sllm.Tokenization.Text;

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

    public override bool LeavesUnchanged(ReadOnlySpan<char> text)
    {
        foreach (TextNormalizer normalizer in normalizers)
        {
            if (!normalizer.LeavesUnchanged(text))
            {
                return false;
            }
        }

        return true;
    }

    public override string Normalize(string text, out Alignment alignment)
    {
        alignment = Alignment.Identity(text.Length);
        foreach (TextNormalizer normalizer in normalizers)
        {
            text = normalizer.Normalize(text, out Alignment step);
            alignment = step.Compose(alignment);
        }

        return text;
    }
}
