namespace Sllm.Tokenization.Decoders;

/// <summary>Applies decoders in order.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<TokenDecoder> decoders) : TokenDecoder
{
    public IReadOnlyList<TokenDecoder> Steps => decoders;

    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (TokenDecoder decoder in decoders)
        {
            tokens = decoder.DecodeChain(tokens);
        }

        return tokens;
    }
}
