using Microsoft.ML.Tokenizers;
using Sllm.Testing;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

/// <summary>Token offsets (ranges in the original text) and the index-by-token-count methods built on them.</summary>
public sealed class OffsetTests
{
    public static IEnumerable<object[]> Families() => ConformanceCorpus.Families();

    [Fact]
    public void WordPiece_Offsets_Match_Hugging_Face()
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(InlineTokenizer.Document(
            model: """{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "hello": 1, ",": 2, "world": 3, "!": 4, "wor": 5, "##ld": 6}}""",
            normalizer: """{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}""",
            preTokenizer: """{"type": "BertPreTokenizer"}"""));
        Assert.Equal([(0, 5), (5, 6), (7, 12), (12, 13)], Offsets(tokenizer, "Hello, world!"));
    }

    [Fact]
    public void ByteLevel_Tokens_Cover_Whole_Characters_And_Keep_Their_Space()
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(InlineTokenizer.Document(
            model: """{"type": "BPE", "vocab": {"H": 0, "i": 1, "Ġ": 2, "Hi": 3, "ĠHi": 4, "Ã": 5, "©": 6}, "merges": ["H i", "Ġ Hi"]}""",
            preTokenizer: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": true}""",
            decoder: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": true}"""));

        // No trimming: " Hi" covers its space, as Hugging Face with trim_offsets: false. Both bytes of é map to it.
        Assert.Equal([(0, 2), (2, 5), (5, 6), (5, 6)], Offsets(tokenizer, "Hi Hié"));
    }

    [Theory]
    [InlineData(false, "Hi Hi", new[] { 0, 2, 3, 5 })]
    [InlineData(false, " Hi", new[] { 1, 3 })]
    [InlineData(true, " Hi", new[] { 0, 3 })]
    [InlineData(true, "Hi  Hi", new[] { 0, 2, 3, 3, 4, 6 })]
    public void ByteLevel_Trim_Offsets_Trims_Spaces_Like_The_Reference(bool addPrefixSpace, string text, int[] expected)
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(InlineTokenizer.Document(
            model: """{"type": "BPE", "vocab": {"H": 0, "i": 1, "Ġ": 2, "Hi": 3, "ĠHi": 4}, "merges": ["H i", "Ġ Hi"]}""",
            preTokenizer: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}""",
            postProcessor: $$"""{"type": "ByteLevel", "add_prefix_space": {{(addPrefixSpace ? "true" : "false")}}, "trim_offsets": true, "use_regex": true}"""));
        Assert.Equal(expected, Offsets(tokenizer, text).SelectMany(o => new[] { o.Item1, o.Item2 }));
    }

    [Fact]
    public void Normalizer_Alignments_Map_Back_To_The_Original()
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(InlineTokenizer.Document(
            model: """{"type": "BPE", "vocab": {"▁": 0, "é": 1, "▁é": 2, "a": 3, "▁a": 4}, "merges": ["▁ é", "▁ a"]}""",
            normalizer: """{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}"""));

        // "e" + U+0301 composes to one character standing for both; the prepended ▁ stands for the first character.
        Assert.Equal([(0, 2), (2, 4)], Offsets(tokenizer, "e\u0301 a"));
    }

    [SharedFact]
    public void SentencePiece_Offsets_Include_The_Replaced_Space_And_Map_The_Prepended_One_To_The_First_Character()
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load("tinyllama-1.1b-chat-v1.0");
        IReadOnlyList<EncodedToken> tokens = tokenizer.EncodeToTokens("Hello world", addSpecialTokens: true);
        Assert.Equal(["<s>", "▁Hello", "▁world"], tokens.Select(t => t.Value));
        Assert.Equal([(0, 0), (0, 5), (5, 11)], tokens.Select(t => (t.Offset.Start.Value, t.Offset.End.Value)));
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void Offsets_Are_Ordered_Ranges_Of_The_Text_On_The_Corpus(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        var specials = new HashSet<int>(tokenizer.SpecialTokenIds);
        foreach (ConformanceCorpus.ExpectedResult expected in ConformanceCorpus.Expected(family))
        {
            string text = expected.Text;
            IReadOnlyList<EncodedToken> tokens = tokenizer.EncodeToTokens(text, expected.AddSpecialTokens);
            int lastStart = 0;
            foreach (EncodedToken token in tokens)
            {
                (int start, int length) = token.Offset.GetOffsetAndLength(text.Length);
                Assert.InRange(start, 0, text.Length);
                if (length == 0 && start == 0 && (specials.Contains(token.Id) || tokenizer.AddedTokens.Any(a => a.Id == token.Id)))
                {
                    continue; // a post-processor token (BOS/EOS), or an added token matched at the start
                }

                Assert.True(length > 0, $"{family} '{expected.Id}': token {token.Value} has an empty range at {start}");
                Assert.True(start >= lastStart, $"{family} '{expected.Id}': token {token.Value} starts at {start} before {lastStart}");
                lastStart = start;
            }
        }
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void Index_By_Token_Count_Round_Trips_On_The_Corpus(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        foreach (ConformanceCorpus.ExpectedResult expected in ConformanceCorpus.Expected(family))
        {
            string text = expected.Text;
            int[] all = [.. tokenizer.EncodeToIds(text, addSpecialTokens: true)];
            int[] plain = [.. tokenizer.EncodeToIds(text, addSpecialTokens: false)];
            int specials = all.Length - plain.Length;
            foreach (int max in new[] { all.Length, all.Length - 1, (all.Length / 2) + 1, specials + 1 })
            {
                if (max < 1)
                {
                    continue;
                }

                int index = tokenizer.GetIndexByTokenCount(text, max, out string? normalized, out int count);
                Assert.Null(normalized);
                Assert.InRange(count, 0, Math.Max(max, specials));
                if (count > specials)
                {
                    Assert.Equal(plain.AsSpan(0, count - specials).ToArray(), tokenizer.EncodeToIds(text[..index], addSpecialTokens: false));
                }

                int fromEnd = tokenizer.GetIndexByTokenCountFromEnd(text, max, out normalized, out count);
                Assert.Null(normalized);
                if (count > specials)
                {
                    Assert.Equal(plain.AsSpan(plain.Length - (count - specials)).ToArray(), tokenizer.EncodeToIds(text[fromEnd..], addSpecialTokens: false));
                }
            }

            Assert.Equal(text.Length, tokenizer.GetIndexByTokenCount(text, all.Length, out _, out int full));
            Assert.Equal(all.Length, full);
            Assert.Equal(0, tokenizer.GetIndexByTokenCountFromEnd(text, all.Length, out _, out full));
            Assert.Equal(all.Length, full);
        }
    }

    [SharedTheory]
    [InlineData("gpt2-tiny-random-codegen")]
    [InlineData("llama-3.2-1b-instruct")]
    [InlineData("qwen2.5-0.5b-instruct")]
    [InlineData("smollm2-135m-instruct")]
    public void ByteLevel_Token_Ranges_Hold_The_Token_Text_On_The_Corpus(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        int checkedTokens = 0;
        foreach (ConformanceCorpus.ExpectedResult expected in ConformanceCorpus.Expected(family))
        {
            string text = expected.Text;
            foreach (EncodedToken token in tokenizer.EncodeToTokens(text, addSpecialTokens: false))
            {
                string decoded = tokenizer.Decode([token.Id], skipSpecialTokens: false);
                string span = text[token.Offset];
                if (decoded.Contains('\uFFFD', StringComparison.Ordinal) || !IsWellFormed(span))
                {
                    continue; // a byte token covering part of a character maps to the whole character
                }

                Assert.True(Same(decoded, span), $"{family} '{expected.Id}': token {token.Value} decodes to '{decoded}' but covers '{span}' ({token.Offset})");
                checkedTokens++;
            }
        }

        Assert.True(checkedTokens > 100);
    }

    private static bool Same(string decoded, string span) =>
        decoded == span || Sllm.Tokenization.Text.CleanUp.Apply(decoded) == Sllm.Tokenization.Text.CleanUp.Apply(span)
        || decoded.Normalize(System.Text.NormalizationForm.FormC) == span.Normalize(System.Text.NormalizationForm.FormC);

    private static bool IsWellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static (int, int)[] Offsets(HuggingFaceTokenizer tokenizer, string text) =>
        [.. tokenizer.EncodeToTokens(text, addSpecialTokens: false).Select(t => t.Offset.GetOffsetAndLength(text.Length)).Select(x => (x.Offset, x.Offset + x.Length))];
}
