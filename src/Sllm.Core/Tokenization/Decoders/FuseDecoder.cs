namespace Sllm.Tokenization.Decoders;

/// <summary>Joins all tokens into one.</summary>
internal sealed class FuseDecoder : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}
