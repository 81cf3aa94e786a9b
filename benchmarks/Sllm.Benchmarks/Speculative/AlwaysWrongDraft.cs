using Sllm.Generation;

namespace Sllm.Benchmarks.Speculative;

/// <summary>Proposes the last token plus one, repeated: never what the target picks unless by chance.</summary>
internal sealed class AlwaysWrongDraft(int vocabulary) : IDraftProvider
{
    public bool ProducesDistributions => false;

    public void Reset(ReadOnlySpan<int> prompt)
    {
    }

    public int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions)
    {
        draft.Fill((sequence[^1] + 1) % vocabulary);
        return draft.Length;
    }

    public void Accept(ReadOnlySpan<int> sequence, int acceptedTokens)
    {
    }
}
