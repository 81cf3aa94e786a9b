using Microsoft.ML.Tokenizers;
using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Models;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <content>
/// Offsets: the encode path that also records each token's range in the original text. Only
/// <see cref="EncodeToTokens(string, bool)"/> and the index-by-token-count methods take it; id encoding never does.
/// </content>
public sealed partial class HuggingFaceTokenizer
{
    /// <summary>Encodes with token strings and offsets (ranges in <paramref name="text"/>).</summary>
    internal EncodeBuffer EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        var output = new EncodeBuffer(withTexts: true, withOffsets: true);
        var sections = new List<(int Start, int End, int Token)>();
        SplitOnAddedTokens(text, _rawSplitter, sections);
        bool normalizes = _definition.RemoveSpace || _definition.LowercaseAndRemoveAccent || _definition.Normalizer is not null;
        for (int i = 0; i < sections.Count; i++)
        {
            (int start, int end, int token) = sections[i];
            if (token >= 0)
            {
                output.Add(_addedTokens[token].Id);
                output.Offsets![^1] = (start, end);
                continue;
            }

            if (end <= start)
            {
                continue;
            }

            string original = text[start..end];
            Alignment? alignment = null;
            string normalized = normalizes ? NormalizeAligned(original, out alignment) : original;
            if (normalized.Length == 0)
            {
                continue;
            }

            if (_normalizedSplitter.IsEmpty)
            {
                EncodeSectionWithOffsets(normalized, 0, normalized.Length, i, output, alignment, start);
                continue;
            }

            var subsections = new List<(int Start, int End, int Token)>();
            SplitOnAddedTokens(normalized, _normalizedSplitter, subsections);
            foreach ((int subStart, int subEnd, int subToken) in subsections)
            {
                if (subToken >= 0)
                {
                    output.Add(_addedTokens[subToken].Id);
                    (int s, int e) = alignment?.Map(subStart, subEnd) ?? (subStart, subEnd);
                    output.Offsets![^1] = (s + start, e + start);
                }
                else if (subEnd > subStart)
                {
                    EncodeSectionWithOffsets(normalized, subStart, subEnd, i, output, alignment, start);
                }
            }
        }

        _definition.PostProcessor?.Process(output, addSpecialTokens);
        return output;
    }

    private string NormalizeAligned(string section, out Alignment? alignment)
    {
        alignment = null;
        if (_definition.RemoveSpace)
        {
            section = Step(section, s => CollapseSpaces(JsText.Trim(s)), ref alignment);
        }

        if (_definition.LowercaseAndRemoveAccent)
        {
            section = Step(section, s => JsText.RemoveMarks(JsText.ToLower(s), nonSpacingOnly: false), ref alignment);
        }

        if (_definition.Normalizer is { } normalizer)
        {
            string output = normalizer.Normalize(section, out Alignment step);
            alignment = alignment is null ? step : step.Compose(alignment);
            section = output;
        }

        return section;

        static string Step(string input, Func<string, string> normalize, ref Alignment? alignment)
        {
            string output = normalize(input);
            Alignment step = Alignment.Generic(input, output, normalize);
            alignment = alignment is null ? step : step.Compose(alignment);
            return output;
        }
    }

    private void EncodeSectionWithOffsets(string normalized, int from, int to, int sectionIndex, EncodeBuffer output, Alignment? alignment, int baseOffset)
    {
        TokenizerModel model = _definition.Model;
        ReadOnlySpan<char> section = normalized.AsSpan(from, to - from);
        using var pieces = new PieceList(section.Length + 16);
        pieces.TrackSources(normalized);
        if (_definition.PreTokenizer is null)
        {
            pieces.Add(section);
        }
        else
        {
            _definition.PreTokenizer.PreTokenize(section, pieces, sectionIndex);
        }

        int mark = output.Count;
        for (int p = 0; p < pieces.Count; p++)
        {
            int before = output.Count;
            model.Encode(pieces[p], output);
            AssignOffsets(pieces, p, before, output, alignment, baseOffset);
        }

        model.Fuse(output, mark);
    }

    /// <summary>
    /// Finds each new token's characters in its pre-token (token strings are slices of it, less the subword prefix or
    /// suffix; a byte-fallback token covers the character its byte belongs to; an unknown token one character, or the
    /// whole word when it is the only token), then maps them through the pre-token's sources and the normalization.
    /// </summary>
    private void AssignOffsets(PieceList pieces, int p, int before, EncodeBuffer output, Alignment? alignment, int baseOffset)
    {
        ReadOnlySpan<char> word = pieces[p];
        TokenizerModel model = _definition.Model;
        string prefix = model switch { BpeModel bpe => bpe.Prefix, WordPieceModel wp => wp.Prefix, _ => string.Empty };
        string suffix = model.EndOfWordSuffix ?? string.Empty;
        int cursor = 0, pendingBytes = 0, charStart = 0, charLength = 0;
        for (int t = before; t < output.Count; t++)
        {
            string token = TokenText(output, t);
            int start, end;
            if (t > before && prefix.Length > 0 && token.StartsWith(prefix, StringComparison.Ordinal) && !word[cursor..].StartsWith(token, StringComparison.Ordinal))
            {
                token = token[prefix.Length..];
            }

            if (suffix.Length > 0 && token.EndsWith(suffix, StringComparison.Ordinal) && !word[cursor..].StartsWith(token, StringComparison.Ordinal))
            {
                token = token[..^suffix.Length];
            }

            if (pendingBytes > 0 && ByteFallbackDecoder.TryParseByte(token, out _))
            {
                (start, end) = (charStart, charStart + charLength);
                pendingBytes--;
            }
            else if (token.Length > 0 && word[cursor..].StartsWith(token, StringComparison.Ordinal))
            {
                (start, end) = (cursor, cursor + token.Length);
                cursor = end;
            }
            else if (cursor < word.Length && ByteFallbackDecoder.TryParseByte(token, out _))
            {
                charLength = char.IsHighSurrogate(word[cursor]) && cursor + 1 < word.Length && char.IsLowSurrogate(word[cursor + 1]) ? 2 : 1;
                charStart = cursor;
                pendingBytes = System.Text.Encoding.UTF8.GetByteCount(word.Slice(cursor, charLength)) - 1;
                (start, end) = (cursor, cursor + charLength);
                cursor += charLength;
            }
            else
            {
                int length = output.Count - before == 1 ? word.Length - cursor
                    : cursor < word.Length && char.IsHighSurrogate(word[cursor]) && cursor + 1 < word.Length ? 2 : Math.Min(1, word.Length - cursor);
                (start, end) = (cursor, cursor + length);
                cursor = end;
            }

            (int ns, int ne) = pieces.SourceRange(p, Math.Min(start, word.Length), Math.Min(end, word.Length));
            (int os, int oe) = alignment?.Map(ns, ne) ?? (ns, ne);
            output.Offsets![t] = (os + baseOffset, oe + baseOffset);
        }
    }

    private List<EncodedToken> ToTokensWithOffsets(EncodeBuffer buffer, int max)
    {
        int count = Math.Min(max, buffer.Count);
        var tokens = new List<EncodedToken>(count);
        for (int i = 0; i < count; i++)
        {
            (int start, int end) = buffer.Offsets![i];
            tokens.Add(new EncodedToken(buffer.Ids[i], TokenText(buffer, i), new Range(start, end)));
        }

        return tokens;
    }
}
