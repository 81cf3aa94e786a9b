using System.Buffers;
using Microsoft.ML.Tokenizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <content>Decoding: ids → token strings → decoder chain → optional cleanup.</content>
public sealed partial class HuggingFaceTokenizer
{
    /// <summary>Decodes ids to text, keeping special tokens.</summary>
    /// <param name="ids">The token ids.</param>
    /// <returns>The text.</returns>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>Decodes ids to text.</summary>
    /// <param name="ids">The token ids; ids no token has are skipped (or read as the unknown token when there is one).</param>
    /// <param name="skipSpecialTokens">Whether special tokens (and <c>additional_special_tokens</c>) are left out.</param>
    /// <returns>The text.</returns>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids is int[] array)
        {
            return Decode(array.AsSpan(), skipSpecialTokens);
        }

        if (ids is List<int> list)
        {
            return Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list), skipSpecialTokens);
        }

        var tokens = new List<string>();
        foreach (int id in ids)
        {
            AddToken(tokens, id, skipSpecialTokens);
        }

        return DecodeTokens(tokens, skipSpecialTokens);
    }

    /// <summary>Decodes ids to text.</summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="skipSpecialTokens">Whether special tokens are left out.</param>
    /// <returns>The text.</returns>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        if (_byteLevelDecode)
        {
            return DecodeByteLevel(ids, skipSpecialTokens);
        }

        if (_sentencePieceDecode)
        {
            return DecodeSentencePiece(ids, skipSpecialTokens);
        }

        return DecodeWithDecoderChain(ids, skipSpecialTokens);
    }

    /// <summary>Decodes through the decoder steps one list at a time (the general path; tests compare the fast ones to it).</summary>
    internal string DecodeWithDecoderChain(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
        {
            AddToken(tokens, id, skipSpecialTokens);
        }

        return DecodeTokens(tokens, skipSpecialTokens);
    }

    /// <inheritdoc/>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int[] all = [.. ids];
        string text = Decode(all.AsSpan(), skipSpecialTokens: false);
        if (text.Length <= destination.Length)
        {
            text.CopyTo(destination);
            idsConsumed = all.Length;
            charsWritten = text.Length;
            return OperationStatus.Done;
        }

        // The longest prefix of ids whose text fits.
        idsConsumed = 0;
        charsWritten = 0;
        for (int n = 1; n < all.Length; n++)
        {
            string prefix = Decode(all.AsSpan(0, n), skipSpecialTokens: false);
            if (prefix.Length > destination.Length)
            {
                break;
            }

            prefix.CopyTo(destination);
            idsConsumed = n;
            charsWritten = prefix.Length;
        }

        return OperationStatus.DestinationTooSmall;
    }

    private void AddToken(List<string> tokens, int id, bool skipSpecialTokens)
    {
        string? token = _vocabulary.GetToken(id) ?? (_definition.Model.UnkId >= 0 ? _vocabulary.GetToken(_definition.Model.UnkId) : null);
        if (token is null || (skipSpecialTokens && _skipOnDecode.Contains(token)))
        {
            return;
        }

        tokens.Add(token);
    }

    /// <summary>The token string decoding uses for an id: its vocabulary entry, else the unknown token, else null.</summary>
    internal string? TokenForDecode(int id) =>
        _vocabulary.GetToken(id) ?? (_definition.Model.UnkId >= 0 ? _vocabulary.GetToken(_definition.Model.UnkId) : null);

    internal Decoders.TokenDecoder? Decoder => _definition.Decoder;

    /// <summary>Picks the allocation-light streaming path that reproduces this tokenizer's decoder exactly, if any.</summary>
    internal StreamingMode DetectStreamingMode()
    {
        if (_definition.Model.EndOfWordSuffix is not null)
        {
            return StreamingMode.Window;
        }

        if (_definition.Decoder is Decoders.ByteLevelDecoder)
        {
            return StreamingMode.ByteLevel;
        }

        if (_definition.Decoder is Decoders.SequenceDecoder { Steps: [Decoders.ReplaceDecoder { Replace: { Literal: "\u2581", Content: " " } },
            Decoders.ByteFallbackDecoder, Decoders.FuseDecoder, Decoders.StripDecoder { Content: ' ', Start: 1, Stop: 0 }] })
        {
            return StreamingMode.SentencePiece;
        }

        if (_definition.Decoder is Decoders.MetaspaceDecoder)
        {
            return StreamingMode.Metaspace;
        }

        if (_definition.Decoder is Decoders.WordPieceDecoder)
        {
            return StreamingMode.WordPiece;
        }

        return StreamingMode.Window;
    }

    internal bool IsSkippedToken(string token) => _skipOnDecode.Contains(token);

    internal bool IsSkippedOnDecode(int id) => (uint)id < (uint)_decodeFlags.Length ? (_decodeFlags[id] & SkipFlag) != 0 : IsSkippedOnDecodeSlow(id);

    /// <summary>Gets whether the byte-level decoder passes this id's token through verbatim (an added token).</summary>
    internal bool IsVerbatimOnDecode(int id) => (uint)id < (uint)_decodeFlags.Length && (_decodeFlags[id] & VerbatimFlag) != 0;

    private bool IsSkippedOnDecodeSlow(int id) => TokenForDecode(id) is { } token && _skipOnDecode.Contains(token);

    private byte[] BuildDecodeFlags()
    {
        var flags = new byte[_vocabulary.Size];
        var byteLevel = _definition.Decoder as Decoders.ByteLevelDecoder;
        for (int id = 0; id < flags.Length; id++)
        {
            // The token decoding sees: the vocabulary entry, else the unknown token.
            if (TokenForDecode(id) is not { } token)
            {
                continue;
            }

            flags[id] = (byte)((_skipOnDecode.Contains(token) ? SkipFlag : 0) | (byteLevel?.IsAddedToken(token) == true ? VerbatimFlag : 0));
        }

        return flags;
    }

    /// <summary>Gets the per-id streaming texts of the SentencePiece decoder chain (▁ as space; none for byte tokens).</summary>
    internal Text.StreamTextCache SentencePieceTexts => Volatile.Read(ref _sentencePieceTexts) ?? BuildSentencePieceTexts();

    private Text.StreamTextCache BuildSentencePieceTexts()
    {
        var cache = new Text.StreamTextCache(_vocabulary.Size, id =>
            _vocabulary.GetToken(id) is { } token && !Decoders.ByteFallbackDecoder.TryParseByte(token, out _) ? token.Replace('\u2581', ' ') : null);
        Interlocked.CompareExchange(ref _sentencePieceTexts, cache, null);
        return _sentencePieceTexts;
    }

    /// <summary>Gets the per-id bytes of a byte-level vocabulary (built on first use).</summary>
    internal Decoders.ByteLevelTokenBytes TokenBytes => Volatile.Read(ref _tokenBytes) ?? BuildTokenBytes();

    private Decoders.ByteLevelTokenBytes BuildTokenBytes()
    {
        // Racing builders produce equal tables; the first one stored wins.
        Interlocked.CompareExchange(ref _tokenBytes, new Decoders.ByteLevelTokenBytes(_vocabulary), null);
        return _tokenBytes;
    }

    /// <summary>Byte-level decoding without intermediate strings: bytes into a pooled buffer, UTF-8 decode, cleanup in place.</summary>
    private string DecodeByteLevel(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        Decoders.ByteLevelTokenBytes table = TokenBytes;
        byte[] bytes = ArrayPool<byte>.Shared.Rent((ids.Length * 4) + 16);
        char[] chars = ArrayPool<char>.Shared.Rent(bytes.Length + 16);
        try
        {
            int byteCount = 0, charCount = 0;
            foreach (int id in ids)
            {
                string? token = _vocabulary.GetToken(id);
                if (token is null)
                {
                    if (IsSkippedOnDecodeSlow(id) && skipSpecialTokens)
                    {
                        continue;
                    }

                    token = TokenForDecode(id);
                    if (token is null)
                    {
                        continue;
                    }
                }
                else if (skipSpecialTokens && (_decodeFlags[id] & SkipFlag) != 0)
                {
                    continue;
                }

                if ((uint)id < (uint)_decodeFlags.Length ? (_decodeFlags[id] & VerbatimFlag) != 0 : ((Decoders.ByteLevelDecoder)_definition.Decoder!).IsAddedToken(token))
                {
                    FlushBytes(ref bytes, ref byteCount, ref chars, ref charCount);
                    Grow(ref chars, charCount, token.Length);
                    token.CopyTo(chars.AsSpan(charCount));
                    charCount += token.Length;
                    continue;
                }

                ReadOnlySpan<byte> tokenBytes = (uint)id < (uint)table.Count ? table[id] : default;
                int needed = tokenBytes.IsEmpty ? token.Length : tokenBytes.Length;
                if (byteCount + needed > bytes.Length)
                {
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length * 2, byteCount + needed));
                    bytes.AsSpan(0, byteCount).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(bytes);
                    bytes = bigger;
                }

                if (tokenBytes.IsEmpty)
                {
                    byteCount += Decoders.ByteLevelDecoder.AppendBytes(token, bytes.AsSpan(byteCount));
                }
                else
                {
                    tokenBytes.CopyTo(bytes.AsSpan(byteCount));
                    byteCount += tokenBytes.Length;
                }
            }

            FlushBytes(ref bytes, ref byteCount, ref chars, ref charCount);
            if (_definition.CleanUpTokenizationSpaces)
            {
                charCount = CleanUp.Apply(chars, charCount);
            }

            return charCount == 0 ? string.Empty : new string(chars, 0, charCount);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        static void FlushBytes(ref byte[] bytes, ref int byteCount, ref char[] chars, ref int charCount)
        {
            if (byteCount == 0)
            {
                return;
            }

            Grow(ref chars, charCount, byteCount);
            charCount += System.Text.Encoding.UTF8.GetChars(bytes.AsSpan(0, byteCount), chars.AsSpan(charCount));
            byteCount = 0;
        }

        static void Grow(ref char[] chars, int count, int extra)
        {
            if (count + extra <= chars.Length)
            {
                return;
            }

            char[] bigger = ArrayPool<char>.Shared.Rent(Math.Max(chars.Length * 2, count + extra));
            chars.AsSpan(0, count).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(chars);
            chars = bigger;
        }
    }

    private string DecodeTokens(List<string> tokens, bool skipSpecialTokens)
    {
        if (tokens.Count == 0)
        {
            return string.Empty;
        }

        string decoded = _definition.Decoder is { } decoder ? string.Concat(decoder.DecodeChain(tokens)) : string.Join(' ', tokens);
        if (_definition.Decoder is not null && _definition.Model.EndOfWordSuffix is { } suffix)
        {
            decoded = decoded.Replace(suffix, " ", StringComparison.Ordinal);
            if (skipSpecialTokens)
            {
                decoded = JsText.Trim(decoded);
            }
        }

        return _definition.CleanUpTokenizationSpaces ? CleanUp.Apply(decoded) : decoded;
    }
}
