using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class UnigramTests
{
    private static HuggingFaceTokenizer Create(bool byteFallback = false) => InlineTokenizer.Create(InlineTokenizer.Document(
        model: $$"""
            {"type": "Unigram", "unk_id": 0, "byte_fallback": {{(byteFallback ? "true" : "false")}}, "vocab": [
              ["<unk>", 0.0], ["▁", -2.0], ["a", -3.0], ["b", -3.0], ["ab", -2.5], ["aba", -1.5], ["bab", -1.0],
              ["▁ab", -1.0], ["<0x7A>", -5.0]]}
            """,
        preTokenizer: """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""",
        decoder: """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""",
        addedTokens: """[{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]"""));

    [Fact]
    public void Viterbi_Picks_The_Best_Scoring_Segmentation_Not_The_Greedy_One()
    {
        HuggingFaceTokenizer tokenizer = Create();
        // ▁ab(-1) + ab(-2.5) = -3.5 beats ▁(-2) + aba(-1.5) + b(-3) = -6.5 and ▁ + a + bab = -6.
        Assert.Equal(["▁ab", "ab"], InlineTokenizer.Tokens(tokenizer, "abab"));
        // Greedy longest-first would take ▁ab + a (-4); ▁ + aba (-3.5) scores better.
        Assert.Equal(["▁", "aba"], InlineTokenizer.Tokens(tokenizer, "aba"));
    }

    [Fact]
    public void Unknown_Characters_Are_Fused_Into_One_Unk_With_Raw_Text()
    {
        HuggingFaceTokenizer tokenizer = Create();
        var tokens = tokenizer.EncodeToTokens("xyab", addSpecialTokens: false);
        Assert.Equal([1, 0, 4], tokens.Select(t => t.Id));
        Assert.Equal(["▁", "xy", "ab"], tokens.Select(t => t.Value));
    }

    [Fact]
    public void Byte_Fallback_Replaces_Unknowns_With_Byte_Tokens()
    {
        HuggingFaceTokenizer tokenizer = Create(byteFallback: true);
        Assert.Equal([1, 8, 4], tokenizer.EncodeToIds("zab", addSpecialTokens: false));
    }

    [Fact]
    public void Metaspace_Decoder_Restores_Spaces()
    {
        HuggingFaceTokenizer tokenizer = Create();
        Assert.Equal("ab ab", tokenizer.Decode(tokenizer.EncodeToIds("ab ab", addSpecialTokens: false)));
    }
}
