using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Applies pre-tokenizers in order, each to every piece the previous one produced.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<TextPreTokenizer> steps) : TextPreTokenizer
{
    /// <summary>Gets the steps, in order.</summary>
    public IReadOnlyList<TextPreTokenizer> Steps => steps;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        if (steps.Count == 0)
        {
            output.Add(piece);
            return;
        }

        using var a = new PieceList(piece.Length + 16);
        using var b = new PieceList(piece.Length + 16);
        if (output.TracksSources)
        {
            a.TrackSourcesLike(output);
            b.TrackSources(a);
        }

        a.Add(piece);
        PieceList current = a, next = b;
        for (int s = 0; s < steps.Count; s++)
        {
            PieceList target = s == steps.Count - 1 ? output : next;
            if (target != output)
            {
                target.Clear();
            }

            if (target.TracksSources)
            {
                target.TrackSources(current);
            }

            for (int p = 0; p < current.Count; p++)
            {
                steps[s].PreTokenize(current[p], target, sectionIndex);
            }

            (current, next) = (next, current);
        }
    }
}
