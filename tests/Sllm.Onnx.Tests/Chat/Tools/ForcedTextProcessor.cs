using Sllm.Generation;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>Forces a fixed token sequence and then an end token, standing in for the constrained decoding that enforces
/// RequireAny/RequireSpecific (the real decode loop still runs the model; only the choice of token is fixed).</summary>
internal sealed class ForcedTextProcessor(int[] tokens, int endToken) : ILogitsProcessor
{
    public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
    {
        int step = sequence.Length - promptLength;
        int forced = step < tokens.Length ? tokens[step] : endToken;
        logits.Fill(float.NegativeInfinity);
        logits[forced] = 0f;
    }
}
