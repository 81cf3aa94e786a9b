using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <summary>
/// Turns generated token ids into text incrementally: feed ids one at a time with <see cref="Append"/>, then call
/// <see cref="Flush"/> at the end. The concatenated output equals <see cref="HuggingFaceTokenizer.Decode(IEnumerable{int}, bool)"/>
/// of the same ids; text never ends inside a UTF-8 sequence or a byte-fallback run, and text that the
/// <c>clean_up_tokenization_spaces</c> rewrite could still change is held back until the next id decides it.
/// </summary>
/// <remarks>
/// Not thread-safe: one decoder per generation stream. It re-decodes a small window of recent ids per call (the
/// "prefix/read offset" technique), so the cost per id is bounded and independent of the stream length.
/// </remarks>
public sealed class StreamingDecoder
{
    private const int WindowLimit = 16;
    private const int WindowKeep = 4;

    private readonly HuggingFaceTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly bool _cleanUp;
    private readonly List<int> _ids = [];
    private int _windowStart;
    private int _emitted;

    internal StreamingDecoder(HuggingFaceTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _cleanUp = tokenizer.CleanUpTokenizationSpaces;
    }

    /// <summary>Gets a value indicating whether special tokens are left out of the text.</summary>
    public bool SkipSpecialTokens => _skipSpecialTokens;

    /// <summary>Adds one id and returns the text that became final (often empty while a character is incomplete).</summary>
    /// <param name="id">The next generated token id.</param>
    /// <returns>The new text; empty when nothing is final yet.</returns>
    public string Append(int id)
    {
        if (_skipSpecialTokens && _tokenizer.IsSkippedOnDecode(id))
        {
            return string.Empty;
        }

        _ids.Add(id);
        string text = DecodeWindow();
        if (text.Length > 0 && text[^1] == '\uFFFD')
        {
            return string.Empty;
        }

        int stable = text.Length - (_cleanUp ? CleanUp.PendingSuffixLength(text) : 0);
        if (stable <= _emitted)
        {
            return string.Empty;
        }

        string result = text[_emitted..stable];
        _emitted = stable;
        if (stable == text.Length && _ids.Count - _windowStart > WindowLimit)
        {
            MoveWindow();
        }

        return result;
    }

    /// <summary>Returns the text still held back (an incomplete sequence decodes to U+FFFD here) and resets the decoder.</summary>
    /// <returns>The remaining text.</returns>
    public string Flush()
    {
        string text = DecodeWindow();
        string result = text.Length > _emitted ? text[_emitted..] : string.Empty;
        Reset();
        return result;
    }

    /// <summary>Forgets all ids and held-back text.</summary>
    public void Reset()
    {
        _ids.Clear();
        _windowStart = 0;
        _emitted = 0;
    }

    private string DecodeWindow() =>
        _tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids)[_windowStart..], _skipSpecialTokens);

    private void MoveWindow()
    {
        // Keep a few ids of context so decoders that treat the first token specially (Strip, Metaspace, WordPiece)
        // behave as in the full text; only move where the kept ids decode cleanly on their own.
        int start = _ids.Count - WindowKeep;
        string kept = _tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids)[start..], _skipSpecialTokens);
        if (kept.Contains('\uFFFD', StringComparison.Ordinal) || (_cleanUp && CleanUp.PendingSuffixLength(kept) > 0))
        {
            return;
        }

        _ids.RemoveRange(0, start);
        _windowStart = 0;
        _emitted = kept.Length;
    }
}
