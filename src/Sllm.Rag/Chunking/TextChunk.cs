namespace Sllm.Rag;

/// <summary>One chunk of a document: its text, its position in the source and its token count.</summary>
/// <remarks>
/// <see cref="Text"/> always equals <c>source.Substring(Start, Length)</c>, so a chunk can be cited by character range.
/// Immutable; safe to share between threads.
/// </remarks>
public sealed class TextChunk
{
    /// <summary>Initializes a new instance of the <see cref="TextChunk"/> class.</summary>
    /// <param name="index">The chunk's 0-based position in the document's chunk list.</param>
    /// <param name="start">The UTF-16 offset of the chunk's first character in the source.</param>
    /// <param name="text">The chunk's text.</param>
    /// <param name="tokenCount">The chunk's token count.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index, offset or count is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public TextChunk(int index, int start, string text, int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        Index = index;
        Start = start;
        Text = text;
        TokenCount = tokenCount;
    }

    /// <summary>Gets the chunk's 0-based position in the document's chunk list.</summary>
    public int Index { get; }

    /// <summary>Gets the UTF-16 offset of the chunk's first character in the source.</summary>
    public int Start { get; }

    /// <summary>Gets the number of UTF-16 code units in the chunk.</summary>
    public int Length => Text.Length;

    /// <summary>Gets the offset just past the chunk's last character (exclusive).</summary>
    public int End => Start + Text.Length;

    /// <summary>Gets the chunk's text; leading and trailing whitespace is not included.</summary>
    public string Text { get; }

    /// <summary>Gets the number of tokens in <see cref="Text"/> as counted by the chunker's tokenizer.</summary>
    public int TokenCount { get; }

    /// <inheritdoc />
    public override string ToString() => $"#{Index} [{Start}, {End}) {TokenCount} tokens";
}
