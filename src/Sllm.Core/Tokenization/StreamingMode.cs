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
}
