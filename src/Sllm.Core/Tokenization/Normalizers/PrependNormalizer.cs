namespace Sllm.Tokenization.Normalizers;

/// <summary>Prepends a fixed string (SentencePiece's ▁), to every non-empty section.</summary>
internal sealed class PrependNormalizer(string prepend) : TextNormalizer
{
    public override string Normalize(string text) => text.Length == 0 ? text : prepend + text;
}
