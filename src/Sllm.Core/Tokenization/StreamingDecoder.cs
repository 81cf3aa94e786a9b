using System.Text;
using System.Text.Unicode;
using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <summary>
/// Turns generated token ids into text incrementally: feed ids one at a time with <see cref="Append"/>, then call
/// <see cref="Flush"/> at the end. The concatenated output equals <see cref="HuggingFaceTokenizer.Decode(IEnumerable{int}, bool)"/>
/// of the same ids; text never ends inside a UTF-8 sequence or a byte-fallback run, and text that the
/// <c>clean_up_tokenization_spaces</c> rewrite could still change is held back until the next id decides it.
/// </summary>
/// <remarks>
/// Not thread-safe: one decoder per generation stream. For the common decoders (byte-level BPE; SentencePiece's
/// Replace/ByteFallback/Fuse/Strip chain) each id costs a table lookup and reused buffers, the only allocation being the
/// returned text; other decoders re-decode a small window of recent ids per call.
/// </remarks>
public sealed class StreamingDecoder
{
    private const int WindowLimit = 16;
    private const int WindowKeep = 4;

    private readonly HuggingFaceTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly bool _cleanUp;
    private readonly StreamingMode _mode;
    private readonly ByteLevelDecoder? _byteLevel;
    private readonly List<int> _ids = [];
    private byte[] _bytes = new byte[32];
    private int _byteCount;
    private char[] _chars = new char[64];
    private char[] _scratch = new char[64];
    private int _charCount;
    private bool _atStart = true;
    private int _windowStart;
    private int _emitted;

    internal StreamingDecoder(HuggingFaceTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _cleanUp = tokenizer.CleanUpTokenizationSpaces;
        _mode = tokenizer.DetectStreamingMode();
        _byteLevel = tokenizer.Decoder as ByteLevelDecoder;
    }

    /// <summary>Gets a value indicating whether special tokens are left out of the text.</summary>
    public bool SkipSpecialTokens => _skipSpecialTokens;

    /// <summary>Adds one id and returns the text that became final (often empty while a character is incomplete).</summary>
    /// <param name="id">The next generated token id.</param>
    /// <returns>The new text; empty when nothing is final yet.</returns>
    public string Append(int id)
    {
        if (_mode == StreamingMode.Window)
        {
            return AppendWindow(id);
        }

        if (_skipSpecialTokens && _tokenizer.IsSkippedOnDecode(id))
        {
            return string.Empty;
        }

        string? token = _tokenizer.TokenForDecode(id);
        if (token is null)
        {
            return string.Empty;
        }

        // _chars holds text not yet returned: held-back cleanup prefixes plus what this id completes.
        if (_mode == StreamingMode.ByteLevel)
        {
            if (_tokenizer.IsVerbatimOnDecode(id) || (_tokenizer.IdToToken(id) is null && _byteLevel!.IsAddedToken(token)))
            {
                DecodeBytes(final: true);
                AppendChars(token);
            }
            else
            {
                // Nothing pending and the token is whole UTF-8 text the cleanup leaves alone: its shared string is the
                // answer, so the common case allocates nothing.
                if (_byteCount == 0 && _charCount == 0 && _tokenizer.TokenBytes.CompleteText(id, out bool neutral) is { } whole
                    && (!_cleanUp || neutral))
                {
                    return whole;
                }

                EnsureBytes(_byteCount + token.Length);
                ByteLevelTokenBytes table = _tokenizer.TokenBytes;
                if ((uint)id < (uint)table.Count)
                {
                    ReadOnlySpan<byte> bytes = table[id];
                    bytes.CopyTo(_bytes.AsSpan(_byteCount));
                    _byteCount += bytes.Length;
                }
                else
                {
                    _byteCount += ByteLevelDecoder.AppendBytes(token, _bytes.AsSpan(_byteCount));
                }

                DecodeBytes(final: false);
            }
        }
        else if (_mode is StreamingMode.Metaspace or StreamingMode.WordPiece)
        {
            AppendChunk(token);
        }
        else if (ByteFallbackDecoder.TryParseByte(token, out byte value))
        {
            EnsureBytes(_byteCount + 1);
            _bytes[_byteCount++] = value;
            DecodeBytes(final: false);
        }
        else
        {
            // Past the first text, with nothing pending: the token's shared text is the answer when cleanup leaves it alone.
            if (_byteCount == 0 && _charCount == 0 && !_atStart
                && _tokenizer.SentencePieceTexts.Get(id, out bool neutral) is { } whole && (!_cleanUp || neutral))
            {
                return whole;
            }

            DecodeBytes(final: true);
            int start = _charCount;
            AppendChars(token);
            _chars.AsSpan(start, _charCount - start).Replace('\u2581', ' ');
        }

        return Emit(final: false);
    }

    /// <summary>Returns the text still held back (an incomplete sequence decodes to U+FFFD here) and resets the decoder.</summary>
    /// <returns>The remaining text.</returns>
    public string Flush()
    {
        string result;
        if (_mode == StreamingMode.Window)
        {
            string text = DecodeWindow();
            result = text.Length > _emitted ? text[_emitted..] : string.Empty;
        }
        else
        {
            DecodeBytes(final: true);
            result = Emit(final: true);
        }

        Reset();
        return result;
    }

    /// <summary>Forgets all ids and held-back text.</summary>
    public void Reset()
    {
        _ids.Clear();
        _windowStart = 0;
        _emitted = 0;
        _byteCount = 0;
        _charCount = 0;
        _atStart = true;
    }

    private string Emit(bool final)
    {
        if (_mode == StreamingMode.SentencePiece && _atStart && _charCount > 0)
        {
            // Strip(' ', 1, 0) after Fuse: the first character of the whole text loses one leading space.
            if (_chars[0] == ' ')
            {
                _chars.AsSpan(1, _charCount - 1).CopyTo(_chars);
                _charCount--;
            }

            _atStart = false;
        }

        if (_charCount == 0)
        {
            return string.Empty;
        }

        Span<char> raw = _chars.AsSpan(0, _charCount);
        string result;
        if (!_cleanUp || raw.IndexOf(' ') < 0)
        {
            result = new string(raw);
            _charCount = 0;
            return result;
        }

        // Return the cleaned text up to where later text could still change how the rules apply, and keep the rest raw.
        int hold = final ? raw.Length : CleanUp.HoldBackStart(raw);
        if (hold == 0)
        {
            return string.Empty;
        }

        Span<char> emitted = raw[..hold];
        if (CleanUp.MayApply(emitted))
        {
            if (_scratch.Length < hold)
            {
                _scratch = new char[Math.Max(hold, _scratch.Length * 2)];
            }

            emitted.CopyTo(_scratch);
            emitted = _scratch.AsSpan(0, CleanUp.Apply(_scratch, hold));
        }

        result = emitted.IsEmpty ? string.Empty : new string(emitted);
        raw[hold..].CopyTo(_chars);
        _charCount = raw.Length - hold;
        return result;
    }

    /// <summary>Decodes the complete UTF-8 prefix of the pending bytes (all of them when <paramref name="final"/>).</summary>
    private void DecodeBytes(bool final)
    {
        if (_byteCount == 0)
        {
            return;
        }

        EnsureChars(_charCount + _byteCount + 1);
        Utf8.ToUtf16(_bytes.AsSpan(0, _byteCount), _chars.AsSpan(_charCount), out int read, out int written, replaceInvalidSequences: true, isFinalBlock: final);
        _charCount += written;
        _bytes.AsSpan(read, _byteCount - read).CopyTo(_bytes);
        _byteCount -= read;
    }

    /// <summary>Appends what a per-token decoder makes of one token (its position only matters for the first).</summary>
    private void AppendChunk(string token)
    {
        bool first = _atStart;
        _atStart = false;
        int start = _charCount;
        if (_tokenizer.Decoder is MetaspaceDecoder metaspace)
        {
            AppendChars(token);
            Span<char> chunk = _chars.AsSpan(start, _charCount - start);
            chunk.Replace(metaspace.Replacement, ' ');
            if (first && metaspace.StripFirst && chunk.Length > 0 && chunk[0] == ' ')
            {
                chunk[1..].CopyTo(chunk);
                _charCount--;
            }

            return;
        }

        var wordPiece = (WordPieceDecoder)_tokenizer.Decoder!;
        if (!first && wordPiece.Prefix.Length > 0 && token.StartsWith(wordPiece.Prefix, StringComparison.Ordinal))
        {
            AppendChars(token.AsSpan(wordPiece.Prefix.Length));
        }
        else
        {
            if (!first)
            {
                AppendChars(" ");
            }

            AppendChars(token);
        }

        if (wordPiece.Cleanup)
        {
            _charCount = start + CleanUp.Apply(_chars.AsSpan(start), _charCount - start);
        }
    }

    private void AppendChars(string text) => AppendChars(text.AsSpan());

    private void AppendChars(ReadOnlySpan<char> text)
    {
        EnsureChars(_charCount + text.Length);
        text.CopyTo(_chars.AsSpan(_charCount));
        _charCount += text.Length;
    }

    private void EnsureBytes(int size)
    {
        if (size > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(size, _bytes.Length * 2));
        }
    }

    private void EnsureChars(int size)
    {
        if (size > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(size, _chars.Length * 2));
        }
    }

    private string AppendWindow(int id)
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
