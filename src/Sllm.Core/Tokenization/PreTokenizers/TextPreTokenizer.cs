using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>A tokenizer.json pre-tokenizer: splits (and may rewrite) one piece into pieces. Immutable, thread-safe.</summary>
internal abstract class TextPreTokenizer
{
    /// <summary>Appends the pieces of <paramref name="piece"/> to <paramref name="output"/>.</summary>
    /// <param name="piece">One piece of the section being encoded.</param>
    /// <param name="output">Where the resulting pieces go.</param>
    /// <param name="sectionIndex">Index of the section in the added-token split (Metaspace's <c>first</c> scheme).</param>
    public abstract void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex);
}
