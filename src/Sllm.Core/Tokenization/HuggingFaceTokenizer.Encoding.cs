using System.Text;
using Microsoft.ML.Tokenizers;
using Sllm.Tokenization.Models;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <content>Encoding: added-token split, normalization, pre-tokenization, model, post-processing.</content>
public sealed partial class HuggingFaceTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int End, int Token)>? t_sections;

    [ThreadStatic]
    private static List<(int Start, int End, int Token)>? t_rawSections;

    /// <summary>Encodes text to ids, choosing whether the post-processor adds special tokens (BOS, CLS/SEP...).</summary>
    /// <param name="text">The text to encode.</param>
    /// <param name="addSpecialTokens">Whether to add the post-processor's special tokens.</param>
    /// <returns>The token ids.</returns>
    public IReadOnlyList<int> EncodeToIds(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new EncodeBuffer(withTexts: false);
        EncodeCore(text, addSpecialTokens, buffer);
        return buffer.Ids;
    }

    /// <summary>Encodes text to tokens (id and token string), choosing whether special tokens are added.</summary>
    /// <param name="text">The text to encode.</param>
    /// <param name="addSpecialTokens">Whether to add the post-processor's special tokens.</param>
    /// <returns>The tokens, each with its range in <paramref name="text"/> (<c>0..0</c> for post-processor tokens).</returns>
    public IReadOnlyList<EncodedToken> EncodeToTokens(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ToTokensWithOffsets(EncodeWithOffsets(text, addSpecialTokens), int.MaxValue);
    }

    /// <summary>Counts the tokens of a text, choosing whether special tokens are added.</summary>
    /// <param name="text">The text to encode.</param>
    /// <param name="addSpecialTokens">Whether to add the post-processor's special tokens.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text, addSpecialTokens, withTexts: false).Count;
    }

    /// <inheritdoc/>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        string s = text ?? textSpan.ToString();
        EncodeBuffer buffer = Encode(s, addSpecialTokens: true, withTexts: false);
        List<int> ids = buffer.Ids;
        if (settings.MaxTokenCount < ids.Count)
        {
            ids = ids.GetRange(0, Math.Max(0, settings.MaxTokenCount));
        }

        return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = s.Length };
    }

    /// <inheritdoc/>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        string s = text ?? textSpan.ToString();
        EncodeBuffer buffer = EncodeWithOffsets(s, addSpecialTokens: true);
        return new EncodeResults<EncodedToken>
        {
            Tokens = ToTokensWithOffsets(buffer, Math.Max(0, settings.MaxTokenCount)),
            NormalizedText = null,
            CharsConsumed = s.Length,
        };
    }

    /// <inheritdoc/>
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        int count = Encode(text ?? textSpan.ToString(), addSpecialTokens: true, withTexts: false).Count;
        return Math.Min(count, settings.MaxTokenCount);
    }

    /// <summary>
    /// Returns the index in the original text after the most leading tokens (or, from the end, of the first of the most
    /// trailing tokens) that fit in <c>settings.MaxTokenCount</c>, counting the post-processor's tokens; the index never
    /// splits a character that several tokens share, and encoding the text up to (from) it gives exactly those tokens.
    /// </summary>
    /// <remarks>
    /// The index is always in the original text (token offsets are mapped back through normalization), so
    /// <paramref name="normalizedText"/> is always <see langword="null"/>; the settings' normalization and
    /// pre-tokenization switches do not apply. No token fits: 0 (from the end: the text length); all fit: the text
    /// length (from the end: 0).
    /// </remarks>
    /// <inheritdoc/>
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd, out string? normalizedText, out int tokenCount)
    {
        string s = text ?? textSpan.ToString();
        normalizedText = null;
        return IndexByTokenCount(s, settings.MaxTokenCount, fromEnd, out tokenCount);
    }

    /// <summary>Returns the token string of the token at <paramref name="index"/> of an encode buffer.</summary>
    internal string TokenText(EncodeBuffer buffer, int index) =>
        buffer.Texts?[index] ?? _vocabulary.GetToken(buffer.Ids[index]) ?? string.Empty;

    internal EncodeBuffer Encode(string text, bool addSpecialTokens, bool withTexts)
    {
        var buffer = new EncodeBuffer(withTexts);
        EncodeCore(text, addSpecialTokens, buffer);
        return buffer;
    }

    private void EncodeCore(string text, bool addSpecialTokens, EncodeBuffer output)
    {
        output.Ids.EnsureCapacity((text.Length / 2) + 8);
        List<(int Start, int End, int Token)> sections = t_rawSections ??= [];
        sections.Clear();
        SplitOnAddedTokens(text, _rawSplitter, sections);
        bool normalizes = _definition.RemoveSpace || _definition.LowercaseAndRemoveAccent || _definition.Normalizer is not null;
        for (int i = 0; i < sections.Count; i++)
        {
            (int start, int end, int token) = sections[i];
            if (token >= 0)
            {
                output.Add(_addedTokens[token].Id);
                continue;
            }

            if (end <= start)
            {
                continue;
            }

            if (!normalizes || (_normalizedSplitter.IsEmpty && !_definition.RemoveSpace && !_definition.LowercaseAndRemoveAccent
                && _definition.Normalizer!.LeavesUnchanged(text.AsSpan(start, end - start))))
            {
                // Unchanged text with no added tokens to match after normalization: encode the slice as it is.
                EncodeSection(text.AsSpan(start, end - start), i, output);
                continue;
            }

            EncodeNormalized(Normalize(start == 0 && end == text.Length ? text : text[start..end]), i, output);
        }

        _definition.PostProcessor?.Process(output, addSpecialTokens);
    }

    /// <summary>Applies the legacy flags and the normalizer to one section.</summary>
    private string Normalize(string section)
    {
        if (_definition.RemoveSpace)
        {
            section = CollapseSpaces(JsText.Trim(section));
        }

        if (_definition.LowercaseAndRemoveAccent)
        {
            section = JsText.RemoveMarks(JsText.ToLower(section), nonSpacingOnly: false);
        }

        if (_definition.Normalizer is { } normalizer)
        {
            section = normalizer.Normalize(section);
        }

        return section;
    }

    private void EncodeNormalized(string sectionText, int sectionIndex, EncodeBuffer output)
    {
        if (sectionText.Length == 0)
        {
            return;
        }

        if (_normalizedSplitter.IsEmpty)
        {
            EncodeSection(sectionText, sectionIndex, output);
            return;
        }

        List<(int Start, int End, int Token)> subsections = t_sections ??= [];
        subsections.Clear();
        SplitOnAddedTokens(sectionText, _normalizedSplitter, subsections);
        foreach ((int subStart, int subEnd, int subToken) in subsections)
        {
            if (subToken >= 0)
            {
                output.Add(_addedTokens[subToken].Id);
            }
            else if (subEnd > subStart)
            {
                EncodeSection(sectionText.AsSpan(subStart, subEnd - subStart), sectionIndex, output);
            }
        }
    }

    private void EncodeSection(ReadOnlySpan<char> section, int sectionIndex, EncodeBuffer output)
    {
        TokenizerModel model = _definition.Model;
        int mark = output.Count;
        if (_fastBpe is not null)
        {
            SplitPatternMatcher matcher = _fastMatcher!;
            for (int pos = 0; pos < section.Length;)
            {
                int length = matcher.MatchLength(section, pos);
                _fastBpe.EncodeByteLevel(section.Slice(pos, length), output);
                pos += length;
            }
        }
        else if (_definition.PreTokenizer is null)
        {
            model.Encode(section, output);
        }
        else
        {
            using var pieces = new PieceList(section.Length + 16);
            _definition.PreTokenizer.PreTokenize(section, pieces, sectionIndex);
            for (int p = 0; p < pieces.Count; p++)
            {
                model.Encode(pieces[p], output);
            }
        }

        model.Fuse(output, mark);
    }

    /// <summary>
    /// Splits <paramref name="text"/> on added tokens, then applies their lstrip/rstrip to the neighbouring text
    /// sections (JavaScript whitespace), as the reference does.
    /// </summary>
    private void SplitOnAddedTokens(string text, AddedTokenSplitter splitter, List<(int Start, int End, int Token)> parts)
    {
        if (splitter.IsEmpty)
        {
            parts.Add((0, text.Length, -1));
            return;
        }

        int position = 0;
        while (splitter.FindNext(text, position, _singleWord, out int start, out int length, out int token))
        {
            if (start > position)
            {
                parts.Add((position, start, -1));
            }

            parts.Add((start, start + length, token));
            position = start + length;
        }

        if (position < text.Length)
        {
            parts.Add((position, text.Length, -1));
        }

        for (int i = 0; i < parts.Count; i++)
        {
            int token = parts[i].Token;
            if (token < 0)
            {
                continue;
            }

            if (_addedTokens[token].LeftStrip && i > 0 && parts[i - 1].Token < 0)
            {
                (int s, int e, _) = parts[i - 1];
                while (e > s && JsText.IsJsWhiteSpace(text[e - 1]))
                {
                    e--;
                }

                parts[i - 1] = (s, e, -1);
            }

            if (_addedTokens[token].RightStrip && i + 1 < parts.Count && parts[i + 1].Token < 0)
            {
                (int s, int e, _) = parts[i + 1];
                while (s < e && JsText.IsJsWhiteSpace(text[s]))
                {
                    s++;
                }

                parts[i + 1] = (s, e, -1);
            }
        }
    }

    private static string CollapseSpaces(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool inSpace = false;
        foreach (char c in text)
        {
            if (JsText.IsJsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }

            if (inSpace && sb.Length > 0)
            {
                sb.Append(' ');
            }

            inSpace = false;
            sb.Append(c);
        }

        return sb.ToString();
    }
}
