using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.PostProcessors;

/// <summary>Applies post-processors in order (ByteLevel ones only trim offsets, and are left out when they do not).</summary>
internal sealed class SequencePostProcessor(IReadOnlyList<TokenPostProcessor> processors) : TokenPostProcessor
{
    public override void Process(EncodeBuffer buffer, bool addSpecialTokens)
    {
        foreach (TokenPostProcessor processor in processors)
        {
            processor.Process(buffer, addSpecialTokens);
        }
    }
}
