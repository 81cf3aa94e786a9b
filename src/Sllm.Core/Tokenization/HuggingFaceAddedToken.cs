namespace Sllm.Tokenization;

/// <summary>A token added on top of the model vocabulary (the <c>added_tokens</c> entries of tokenizer.json).</summary>
/// <remarks>Immutable and thread-safe; instances come from <see cref="HuggingFaceTokenizer.AddedTokens"/>.</remarks>
public sealed class HuggingFaceAddedToken
{
    /// <summary>Initializes a new instance of the <see cref="HuggingFaceAddedToken"/> class.</summary>
    /// <param name="id">The token id.</param>
    /// <param name="content">The token text.</param>
    /// <param name="special">Whether the token is special (skipped by <c>skipSpecialTokens</c> decoding).</param>
    /// <param name="normalized">Whether the token is matched against normalized text.</param>
    /// <param name="leftStrip">Whether whitespace on the token's left is removed.</param>
    /// <param name="rightStrip">Whether whitespace on the token's right is removed.</param>
    /// <param name="singleWord">Whether the token only matches as a whole word.</param>
    internal HuggingFaceAddedToken(int id, string content, bool special, bool normalized, bool leftStrip, bool rightStrip, bool singleWord)
    {
        ArgumentNullException.ThrowIfNull(content);
        Id = id;
        Content = content;
        Special = special;
        Normalized = normalized;
        LeftStrip = leftStrip;
        RightStrip = rightStrip;
        SingleWord = singleWord;
    }

    /// <summary>Gets the token id.</summary>
    public int Id { get; }

    /// <summary>Gets the token text.</summary>
    public string Content { get; }

    /// <summary>Gets a value indicating whether the token is special.</summary>
    public bool Special { get; }

    /// <summary>Gets a value indicating whether the token is matched against normalized text (<c>normalized</c>).</summary>
    public bool Normalized { get; }

    /// <summary>Gets a value indicating whether whitespace before the token is removed (<c>lstrip</c>).</summary>
    public bool LeftStrip { get; }

    /// <summary>Gets a value indicating whether whitespace after the token is removed (<c>rstrip</c>).</summary>
    public bool RightStrip { get; }

    /// <summary>Gets a value indicating whether the token only matches between non-word characters (<c>single_word</c>).</summary>
    public bool SingleWord { get; }

    /// <inheritdoc/>
    public override string ToString() => Content;
}
