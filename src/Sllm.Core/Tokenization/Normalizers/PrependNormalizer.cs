using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>Prepends a fixed string (SentencePiece's ▁), to every non-empty section.</summary>
internal sealed class PrependNormalizer(string prepend) : TextNormalizer
{
    public override string Normalize(string text) => text.Length == 0 ? text : prepend + text;

    /// <summary>The prepended characters stand for the first character, as in the reference's <c>prepend</c>.</summary>
    public override string Normalize(string text, out Alignment alignment)
    {
        string output = Normalize(text);
        var starts = new int[output.Length];
        var ends = new int[output.Length];
        int shift = output.Length - text.Length;
        int first = text.Length > 1 && char.IsHighSurrogate(text[0]) && char.IsLowSurrogate(text[1]) ? 2 : 1;
        for (int k = 0; k < output.Length; k++)
        {
            (starts[k], ends[k]) = k < shift ? (0, first) : (k - shift, k - shift + 1);
        }

        alignment = Alignment.Create(starts, ends, text.Length);
        return output;
    }
}
