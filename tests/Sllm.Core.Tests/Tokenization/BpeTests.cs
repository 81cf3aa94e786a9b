using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class BpeTests
{
    private static HuggingFaceTokenizer Create(string extra = "", string merges = """["b c", "a b", "ab c"]""", string decoder = "null") =>
        InlineTokenizer.Create(InlineTokenizer.Document(
            model: $$"""
                {"type": "BPE", "dropout": null, "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true {{extra}},
                 "vocab": {"<unk>": 0, "<0xC3>": 1, "<0xA9>": 2, "a": 3, "b": 4, "c": 5, "bc": 6, "ab": 7, "abc": 8, "cab": 9},
                 "merges": {{merges}}}
                """,
            decoder: decoder,
            addedTokens: """[{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]"""));

    [Fact]
    public void Lowest_Rank_Merge_Wins()
    {
        // "b c" (rank 0) beats "a b" (rank 1): abc → a + bc, and "ab c" never applies.
        Assert.Equal([3, 6], Create().EncodeToIds("abc", addSpecialTokens: false));
        Assert.Equal([8], Create(merges: """["a b", "b c", "ab c"]""").EncodeToIds("abc", addSpecialTokens: false));
    }

    [Fact]
    public void Both_Merge_Formats_Give_The_Same_Result()
    {
        Assert.Equal(
            Create(merges: """["a b", "ab c"]""").EncodeToIds("abcab", addSpecialTokens: false),
            Create(merges: """[["a", "b"], ["ab", "c"]]""").EncodeToIds("abcab", addSpecialTokens: false));
    }

    [Fact]
    public void Byte_Fallback_Then_Unk_Fusing()
    {
        HuggingFaceTokenizer tokenizer = Create(decoder: """{"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]}""");
        Assert.Equal([7, 1, 2], tokenizer.EncodeToIds("abé", addSpecialTokens: false));
        Assert.Equal("abé", tokenizer.Decode([7, 1, 2]));
        // 'x' and 'y' have no byte tokens: unk, and the two unks fuse into one.
        Assert.Equal([0, 7], tokenizer.EncodeToIds("xyab", addSpecialTokens: false));
    }

    [Fact]
    public void Ignore_Merges_Takes_Whole_Vocabulary_Words()
    {
        // "cab" is in the vocabulary but no merge builds it.
        Assert.Equal([5, 7], Create(merges: """["a b"]""").EncodeToIds("cab", addSpecialTokens: false));
        Assert.Equal([9], Create(extra: ", \"ignore_merges\": true", merges: """["a b"]""").EncodeToIds("cab", addSpecialTokens: false));
    }

    [Fact]
    public void Invalid_Byte_Sequence_Decodes_To_Replacement_Character()
    {
        HuggingFaceTokenizer tokenizer = Create(decoder: """{"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]}""");
        Assert.Equal("a\uFFFD", tokenizer.Decode([3, 1]));
    }
}
