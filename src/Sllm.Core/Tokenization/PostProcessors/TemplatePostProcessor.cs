using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.PostProcessors;

/// <summary>
/// TemplateProcessing (single-sequence template): the ids of the special tokens before and after sequence A.
/// </summary>
internal sealed class TemplatePostProcessor(int[] before, int[] after) : TokenPostProcessor
{
    public override void Process(EncodeBuffer buffer, bool addSpecialTokens)
    {
        if (!addSpecialTokens)
        {
            return;
        }

        for (int i = before.Length - 1; i >= 0; i--)
        {
            buffer.Insert(0, before[i]);
        }

        buffer.AddRange(after);
    }
}
