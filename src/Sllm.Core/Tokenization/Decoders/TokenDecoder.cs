namespace Sllm.Tokenization.Decoders;

/// <summary>A tokenizer.json decoder step: token strings in, token strings out (joined at the end). Immutable.</summary>
internal abstract class TokenDecoder
{
    public abstract List<string> DecodeChain(List<string> tokens);
}
