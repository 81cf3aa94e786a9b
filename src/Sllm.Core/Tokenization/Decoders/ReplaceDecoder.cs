using Sllm.Tokenization.Normalizers;

namespace Sllm.Tokenization.Decoders;

/// <summary>Replaces a pattern in every token (SentencePiece's ▁ → space).</summary>
internal sealed class ReplaceDecoder(ReplaceNormalizer replace) : TokenDecoder
{
    public ReplaceNormalizer Replace => replace;

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (string token in tokens)
        {
            result.Add(replace.Normalize(token));
        }

        return result;
    }
}
