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

        return StreamingMode.Window;
    }

    internal bool IsSkippedToken(string token) => _skipOnDecode.Contains(token);

    internal bool IsSkippedOnDecode(int id) => _vocabulary.GetToken(id) is { } token && _skipOnDecode.Contains(token);

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
