namespace Sllm.Rag;

/// <summary>Options for <see cref="TextChunker"/>: the token budget per chunk and the overlap between chunks.</summary>
/// <remarks>
/// The defaults (512 tokens, 64 overlap, about 12%) suit the common 512-position embedding models. Set the options
/// before creating the chunker; it copies them. Not thread-safe while being changed.
/// </remarks>
public sealed class TextChunkerOptions
{
    /// <summary>The smallest allowed <see cref="MaxTokensPerChunk"/>: enough for any single Unicode character, even
    /// with byte-level or byte-fallback tokenizers (at most 4 bytes plus a marker).</summary>
    public const int MinimumMaxTokensPerChunk = 16;

    /// <summary>Gets or sets the most tokens a chunk may hold, as counted by the chunker's tokenizer.</summary>
    /// <value>The default is 512; at least <see cref="MinimumMaxTokensPerChunk"/>.</value>
    public int MaxTokensPerChunk { get; set; } = 512;

    /// <summary>
    /// Gets or sets the most tokens a chunk may repeat from the end of the previous one. Overlap is made of whole pieces
    /// (sentences, or words inside an over-long sentence), so it can be less than this, or none.
    /// </summary>
    /// <value>The default is 64; zero or more, and less than half of <see cref="MaxTokensPerChunk"/>.</value>
    public int OverlapTokens { get; set; } = 64;

    /// <summary>Checks that the options are usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="MaxTokensPerChunk"/> is under <see cref="MinimumMaxTokensPerChunk"/>, or <see cref="OverlapTokens"/>
    /// is negative or not less than half of <see cref="MaxTokensPerChunk"/>.
    /// </exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokensPerChunk, MinimumMaxTokensPerChunk, nameof(MaxTokensPerChunk));
        ArgumentOutOfRangeException.ThrowIfNegative(OverlapTokens, nameof(OverlapTokens));

        // An overlap of half the budget or more would make most of every chunk a repeat.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(OverlapTokens * 2, MaxTokensPerChunk, nameof(OverlapTokens));
    }
}
