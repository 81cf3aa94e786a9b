namespace Sllm.Tokenization.Decoders;

/// <summary>BPEDecoder: the end-of-word suffix becomes a space (nothing on the last token).</summary>
internal sealed class BpeDecoder(string suffix) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            result.Add(suffix.Length == 0 ? tokens[i] : tokens[i].Replace(suffix, i == tokens.Count - 1 ? string.Empty : " ", StringComparison.Ordinal));
        }

        return result;
    }
}
