using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.PostProcessors;

/// <summary>A tokenizer.json post-processor for a single sequence: adds special tokens around the encoded ids.</summary>
internal abstract class TokenPostProcessor
{
    public abstract void Process(EncodeBuffer buffer, bool addSpecialTokens);
}
