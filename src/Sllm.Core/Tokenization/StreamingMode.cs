namespace Sllm.Tokenization;

/// <summary>How a <see cref="StreamingDecoder"/> turns ids into text.</summary>
internal enum StreamingMode
{
    /// <summary>Re-decodes a small window of recent ids (any decoder).</summary>
    Window,

    /// <summary>Top-level ByteLevel decoder: bytes accumulate, complete UTF-8 is emitted; added tokens verbatim.</summary>
    ByteLevel,

    /// <summary>The SentencePiece chain Replace(▁→space), ByteFallback, Fuse, Strip(space, 1, 0).</summary>
    SentencePiece,

    /// <summary>Top-level Metaspace decoder: ▁ → space per token, one leading space off the first token.</summary>
    Metaspace,

    /// <summary>Top-level WordPiece decoder: prefix dropped or a space added per token, optional per-token cleanup.</summary>
    WordPiece,
}
